// Shapes shared by the demo world's modules.
import type { Channel, EventType } from '../../shared/events';

export const SEGMENTS = ['consumer', 'smb', 'enterprise', 'vip'] as const;
export type Segment = (typeof SEGMENTS)[number];

/** A customer as upserted (DESIGN §3 customer fields). */
export interface DemoCustomerRecord {
	customer_id: string;
	name: string;
	segment: Segment;
	plan: string;
	region: string;
	signed_up_at: string;
	monthly_value: number;
	/** An account manager's estimate of the personal tolerance, not the hidden true one. */
	tolerance: number;
	attrs: Record<string, unknown>;
}

/** An event as handed to ingest: every field explicit, so ids and defaults never depend on ingest. */
export interface DemoEvent {
	event_id: string;
	customer_id: string;
	occurred_at: string;
	channel: Channel;
	type: EventType;
	value: number | null;
	rating: number | null;
	ticket_id: string | null;
	agent_id: string | null;
	attrs: Record<string, unknown> | null;
}

export type CustomerState = 'active' | 'disengaged' | 'cancelled';

/** What the simulator knows about a customer; everything but `record` is hidden from the product. */
export interface SimCustomer {
	index: number;
	id: string;
	segment: Segment;
	record: DemoCustomerRecord;
	signedUpAt: number;
	/** Baseline happiness with the product, 0..1. */
	satisfaction: number;
	/** True tolerance limit in debt points. */
	tolerance: number;
	/** Activity multiplier (how often this customer shows up at all). */
	engagement: number;
	/** Multiplier on trouble: tickets, complaints, invisible bad experiences. */
	proneness: number;
	channels: Partial<Record<Channel, number>>;
	debt: number;
	debtAt: number;
	state: CustomerState;
	/** Times (ms) at which debt crossed the tolerance while active. */
	crossings: number[];
	/** Times at which the customer stopped (disengaged), for whatever reason. */
	disengagedAt: number | null;
	cancelledAt: number | null;
	/** Why the customer stopped: tolerance crossed, or an outside reason (moved, budget, ...). */
	churnCause: 'tolerance' | 'random' | null;
	recoveries: number;
	/**
	 * Time of the customer's latest own event (not an agent's reply or solve, not a cancellation);
	 * null before the first. The live stream speeds up only customers active within LIVE_REACH_DAYS.
	 */
	lastActiveAt: number | null;
}
