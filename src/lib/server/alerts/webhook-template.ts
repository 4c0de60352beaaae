// Slack-compatible webhook bodies from a text template with {{placeholders}}; pure.

export const DEFAULT_TEMPLATE =
	'[{{state}}] {{rule}}: {{metric}} = {{value}} (threshold {{threshold}}) at {{at}}';

export const TEMPLATE_FIELDS = [
	'rule',
	'rule_id',
	'state',
	'previous_state',
	'metric',
	'value',
	'threshold',
	'at',
	'reason'
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];
export type TemplateVars = Partial<Record<TemplateField, string | number | null>>;

/** Placeholders of `template` that are not template fields, each once, as written ("{{nope}}"). */
export function unknownPlaceholders(template: string): string[] {
	const names = [...template.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((m) => m[1]);
	return [...new Set(names.filter((n) => !(TEMPLATE_FIELDS as readonly string[]).includes(n)))].map((n) => `{{${n}}}`);
}

/** Unknown placeholders are left as written, so a typo is visible in the message rather than silently empty. */
export function renderTemplate(template: string, vars: TemplateVars): string {
	return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) => {
		if (!(TEMPLATE_FIELDS as readonly string[]).includes(name)) return whole;
		const v = vars[name as TemplateField];
		if (v === null || v === undefined) return '—';
		return typeof v === 'number' ? String(Math.round(v * 100) / 100) : v;
	});
}

/** Slack's incoming-webhook shape ({text}) plus the raw event for other receivers. */
export function webhookBody(template: string, vars: TemplateVars): { text: string; cx: TemplateVars } {
	return { text: renderTemplate(template, vars), cx: vars };
}

/** Delay before attempt n+1 after n failed attempts: base × 2^(n−1), capped. */
export function backoffMs(failedAttempts: number, baseMs: number, capMs = 3_600_000): number {
	return Math.min(capMs, baseMs * 2 ** Math.max(0, failedAttempts - 1));
}
