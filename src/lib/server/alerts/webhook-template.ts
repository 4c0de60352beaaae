// Slack-compatible webhook bodies from a text template with {{placeholders}}; pure.
import { findMetric, formatMetricValue } from '../metrics/definitions';
import { describeRule, type RuleDefinition } from './rule-schema';

// The texts, not the bare numbers: a reader in Slack cannot tell 72.4 (%) from 72.4 (s), nor which side of
// the threshold alerts; the reason says why the state changed ("condition cleared", "rule deleted by ana").
export const DEFAULT_TEMPLATE =
	'[{{state}}] {{rule}}: {{metric_label}} {{value_text}} (alert when {{condition}}) — {{reason}}, at {{at}}';

export const TEMPLATE_FIELDS = [
	'rule',
	'rule_id',
	'state',
	'previous_state',
	'metric',
	'value',
	'threshold',
	'value_text',
	'threshold_text',
	'metric_label',
	'condition',
	'at',
	'reason'
] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];
export type TemplateVars = Partial<Record<TemplateField, string | number | null>>;

/**
 * {{value_text}} and {{threshold_text}}: the value and threshold with their unit, formatted as the tiles
 * and the rules list show them ('61.2 %', '4.1 min', '£1.2 k'). A customer rule's value is the number of
 * customers matching and its threshold is its condition (each customer has their own figures, on the work item).
 */
export function unitTexts(
	def: RuleDefinition,
	value: number | null,
	threshold: number | null
): { value_text: string | null; threshold_text: string | null } {
	if (def.kind === 'metric')
		return {
			value_text: value === null ? null : formatMetricValue(def.metric, value),
			threshold_text: formatMetricValue(def.metric, threshold ?? def.threshold)
		};
	return {
		value_text: value === null ? null : `${value.toLocaleString('en-GB')} ${value === 1 ? 'customer' : 'customers'}`,
		threshold_text: describeRule(def)
	};
}

const KIND_LABELS = { tolerance: 'Tolerance', churn: 'Churn risk', silent: 'Silent customers' } as const;

/**
 * {{metric_label}}: what the rule watches as the page names it ('Complaint rate', 'NPS (segment vip)'; a
 * customer rule's kind: 'Churn risk'). {{condition}}: when it alerts ('> 0 %'; a customer rule's condition).
 */
export function conditionTexts(
	def: RuleDefinition,
	threshold: number | null
): { metric_label: string; condition: string } {
	if (def.kind !== 'metric') return { metric_label: KIND_LABELS[def.kind], condition: describeRule(def) };
	const where = def.scope.kind === 'all' ? '' : ` (${def.scope.kind} ${def.scope.value})`;
	return {
		metric_label: `${findMetric(def.metric)?.label ?? def.metric}${where}`,
		condition: `${def.comparator} ${formatMetricValue(def.metric, threshold ?? def.threshold)}`
	};
}

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
