// The customer 360 (GET /api/v1/customers/:id and the customer page): one JSON shape.
import type { WorkItem, WorkItemNote, WorkItemTransition } from '../alerts/work-item-types';

export interface TimelineEvent {
	event_id: string;
	occurred_at: string;
	channel: string;
	type: string;
	value: number | null;
	rating: number | null;
	ticket_id: string | null;
	/** The event's free attributes (a complaint's text, a page, a product), as sent. */
	attrs: Record<string, unknown> | null;
}

export interface TicketSpan {
	ticket_id: string;
	channel: string;
	opened_at: string;
	first_reply_at: string | null;
	solved_at: string | null;
	reopened: boolean;
	events: number;
}

export interface DebtContributionView {
	event_id: string;
	occurred_at: string;
	kind: string;
	label: string;
	points: number;
}

export interface ScoreView {
	probability: number;
	risk_band: string | null;
	model_version: string | null;
	scored_at: string | null;
}

export interface CustomerProfile {
	profile: {
		customer_id: string;
		name: string | null;
		segment: string;
		plan: string | null;
		region: string | null;
		signed_up_at: string | null;
		/** null: never given (first seen in an event, or imported without one); 0 only when given as 0. */
		monthly_value: number | null;
		tolerance_override: number | null;
		attrs: Record<string, unknown> | null;
		first_seen_at: string | null;
		last_seen_at: string | null;
		event_count: number;
		/** When the customer cancelled, if they have not bought since (they have left); null otherwise. */
		cancelled_at: string | null;
	};
	timeline: {
		events: TimelineEvent[];
		tickets: TicketSpan[];
		/** More (older) events exist than `limit`: `older` is the cursor for the next page. */
		truncated: boolean;
		limit: number;
		older: { before: string; before_id: string } | null;
		/** The cursor this page was read with (null: the latest events). */
		before: { before: string; before_id: string } | null;
	};
	debt: {
		current: number;
		limit: number;
		half_life_days: number;
		updated_at: string | null;
		crossed_at: string | null;
		series: { at: string; debt: number }[];
		contributions: DebtContributionView[];
	};
	score: ScoreView | null;
	/** The latest score's top reasons; null: that score was not explained (yet). */
	reasons: unknown[] | null;
	/** Why `reasons` is null, when it is. */
	reasons_note?: string;
	score_history: ScoreView[];
	work_items: (WorkItem & { transitions: WorkItemTransition[]; notes: WorkItemNote[] })[];
}
