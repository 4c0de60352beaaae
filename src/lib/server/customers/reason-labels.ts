// Churn reasons are stored with their score, so those explained before event types had readable names still
// carry labels such as "survey nps events". The customer profile (page and API alike) names an event-type
// reason from its type instead, so both say what a reason explained today would say.
import { eventTypePlural } from '../../shared/event-type-labels';

export function relabelReasons(reasons: unknown[]): unknown[] {
	return reasons.map((r) => {
		if (!r || typeof r !== 'object') return r;
		const o = r as Record<string, unknown>;
		return o.kind === 'event_type' && typeof o.feature === 'string' ? { ...o, label: eventTypePlural(o.feature) } : r;
	});
}
