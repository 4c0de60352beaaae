// Event types as people read them, in the plural ("NPS surveys"): a churn reason names a kind of event
// the customer had ("taking away their NPS surveys lowers the score"), not the schema's code (survey_nps).
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

/** Custom types (`x-…`) and the model's catch-all "(other)" keep their name, followed by "events". */
export function eventTypePlural(type: string): string {
	if (Object.hasOwn(EVENT_TYPE_PLURALS, type)) return EVENT_TYPE_PLURALS[type as StandardEventType];
	return type === '(other)' ? 'other events' : `${type} events`;
}
