// One churn reason as the customer page lists it: its label (the server names event-type reasons from their
// type, customers/reason-labels.ts) and its change in percentage points.
export function reasonText(r: unknown): string {
	if (typeof r === 'string') return r;
	if (r && typeof r === 'object') {
		const o = r as Record<string, unknown>;
		const label = o.label ?? o.feature ?? o.reason ?? o.name ?? JSON.stringify(o);
		const delta = typeof o.delta === 'number' ? o.delta : typeof o.impact === 'number' ? o.impact : null;
		return delta === null
			? String(label)
			: `${label} (${delta >= 0 ? '+' : ''}${(delta * 100).toFixed(Math.abs(delta) >= 0.001 ? 1 : 2)} pp)`;
	}
	return String(r);
}
