// Event types as people read them, not the schema's code (survey_nps): in the plural ("NPS surveys") where a
// churn reason names a kind of event the customer had, in the singular where one event is listed (the journey).
import type { StandardEventType } from './events';

export const EVENT_TYPE_PLURALS: Record<StandardEventType, string> = {
	signup: 'sign-ups',
	visit: 'visits',
	purchase: 'purchases',
	refund: 'refunds',
	cancellation: 'cancellations',
	support_opened: 'support tickets opened',
	support_reply: 'support replies',
	support_solved: 'support tickets solved',
	support_reopened: 'support tickets reopened',
	survey_csat: 'CSAT surveys',
	survey_nps: 'NPS surveys',
	survey_ces: 'effort (CES) surveys',
	complaint: 'complaints',
	praise: 'praise'
};

/** One event of the type, in the same words as EVENT_TYPE_PLURALS. */
export const EVENT_TYPE_NAMES: Record<StandardEventType, string> = {
	signup: 'sign-up',
	visit: 'visit',
	purchase: 'purchase',
	refund: 'refund',
	cancellation: 'cancellation',
	support_opened: 'support ticket opened',
	support_reply: 'support reply',
	support_solved: 'support ticket solved',
	support_reopened: 'support ticket reopened',
	survey_csat: 'CSAT survey',
	survey_nps: 'NPS survey',
	survey_ces: 'effort (CES) survey',
	complaint: 'complaint',
	praise: 'praise'
};

/** A custom type (`x-…`) is named by its sender, so it keeps its name. */
export function eventTypeName(type: string): string {
	return Object.hasOwn(EVENT_TYPE_NAMES, type) ? EVENT_TYPE_NAMES[type as StandardEventType] : type;
}

/** Custom types (`x-…`) and the model's catch-all "(other)" keep their name, followed by "events". */
export function eventTypePlural(type: string): string {
	if (Object.hasOwn(EVENT_TYPE_PLURALS, type)) return EVENT_TYPE_PLURALS[type as StandardEventType];
	return type === '(other)' ? 'other events' : `${type} events`;
}
