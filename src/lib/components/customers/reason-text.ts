// One churn reason as the customer page lists it. Reasons are stored with the score, so those explained
// before event types had readable names still say "survey nps events": an event-type reason is named
// from its type here, whatever label it was stored with.
import { eventTypePlural } from '$lib/shared/event-type-labels';

export function reasonText(r: unknown): string {
	if (typeof r === 'string') return r;
	if (r && typeof r === 'object') {
		const o = r as Record<string, unknown>;
		const label =
			o.kind === 'event_type' && typeof o.feature === 'string'
				? eventTypePlural(o.feature)
				: (o.label ?? o.feature ?? o.reason ?? o.name ?? JSON.stringify(o));
		const delta = typeof o.delta === 'number' ? o.delta : typeof o.impact === 'number' ? o.impact : null;
		return delta === null
			? String(label)
			: `${label} (${delta >= 0 ? '+' : ''}${(delta * 100).toFixed(Math.abs(delta) >= 0.001 ? 1 : 2)} pp)`;
	}
	return String(r);
}
