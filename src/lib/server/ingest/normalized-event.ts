import type { Channel, EventType } from '../../shared/events';

/** A validated event ready for staging: defaults applied, time as UTC microseconds, attrs as JSON text. */
export interface NormalizedEvent {
	event_id: string;
	customer_id: string;
	occurred_us: number;
	channel: Channel;
	type: EventType;
	value: number | null;
	rating: number | null;
	ticket_id: string | null;
	agent_id: string | null;
	attrs: string | null;
}
