// The event schema of DESIGN §3: the one input of the system. Used by browser and server.
export const CHANNELS = ['web', 'app', 'email', 'phone', 'chat', 'social', 'store', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];

export const EVENT_TYPES = [
	'signup',
	'visit',
	'purchase',
	'refund',
	'cancellation',
	'support_opened',
	'support_reply',
	'support_solved',
	'support_reopened',
	'survey_csat',
	'survey_nps',
	'survey_ces',
	'complaint',
	'praise'
] as const;
export type StandardEventType = (typeof EVENT_TYPES)[number];
/** Custom types are allowed when they start with `x-`. */
export type EventType = StandardEventType | `x-${string}`;

/** Inclusive rating ranges; a survey event without a rating in range is invalid. */
export const RATING_RANGES: Partial<Record<StandardEventType, readonly [number, number]>> = {
	survey_csat: [1, 5],
	survey_nps: [0, 10],
	survey_ces: [1, 7]
};

/** An event as stored (occurred_at is UTC). */
export interface CxEvent {
	event_id: string;
	customer_id: string;
	occurred_at: Date;
	channel: Channel;
	type: EventType;
	value: number | null;
	rating: number | null;
	ticket_id: string | null;
	agent_id: string | null;
	attrs: Record<string, unknown> | null;
}

/** An event as a client may send it (before validation and defaults). */
export interface EventInput {
	event_id?: string;
	customer_id: string;
	occurred_at: string | Date;
	channel?: Channel;
	type: EventType;
	value?: number | null;
	rating?: number | null;
	ticket_id?: string | null;
	agent_id?: string | null;
	attrs?: Record<string, unknown> | null;
}

/** The fields a client may send for an event (DESIGN §3), in the contract's order. */
export const EVENT_FIELDS = [
	'event_id',
	'customer_id',
	'occurred_at',
	'channel',
	'type',
	'value',
	'rating',
	'ticket_id',
	'agent_id',
	'attrs'
] as const satisfies readonly (keyof EventInput)[];

/** One problem with one record of a batch (DESIGN §3: 422 {errors:[{index, field, message}]}). */
export interface RecordError {
	index: number;
	field: string;
	message: string;
}

/** A rejected batch's problems: at most MAX_ERRORS of them; `truncated` when the batch had more. */
export interface RecordErrors {
	errors: RecordError[];
	truncated?: true;
}

export const SEGMENTS_DEFAULT = 'default';

export interface Customer {
	customer_id: string;
	name: string | null;
	segment: string;
	plan: string | null;
	region: string | null;
	signed_up_at: Date | null;
	monthly_value: number;
	tolerance: number | null;
	attrs: Record<string, unknown> | null;
}
