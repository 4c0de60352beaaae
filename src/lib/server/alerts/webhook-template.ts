// Slack-compatible webhook bodies from a text template with {{placeholders}}; pure.
import { findMetric, formatMetricValue } from '../metrics/definitions';
import { describeRule, type RuleDefinition } from './rule-schema';
import type { AlertState } from './state-machine';

// The texts, not the bare numbers: a reader in Slack cannot tell 72.4 (%) from 72.4 (s), nor which side of
// the threshold alerts; the reason says why the state changed ("condition cleared", "rule deleted by ana").
// {{status}}, not {{state}}: a firing's end is "resolved" to its reader, whatever state the rule went to
// ("[normal] …" read as a new alert about something normal).
export const DEFAULT_TEMPLATE =
	'[{{status}}] {{rule}}: {{metric_label}} {{value_text}} (alert when {{condition}}) — {{reason}}, at {{at_text}}';

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
	'reason',
	'status',
	'at_text'
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

/** {{at_text}}: "2026-12-07 01:02 UTC" ({{at}} stays ISO: tools parse it). */
export function atText(ms: number): string {
	return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** What a notification is about: a rule's state change, or the notice a silence held back. */
export interface NotificationChange {
	from: AlertState;
	to: AlertState;
	at: number;
	value: number | null;
	threshold: number | null;
	reason: string;
	firingSince?: number;
}

const FIRING_STATES: readonly AlertState[] = ['firing', 'recovering'];

/**
 * Every placeholder's value for one notification. Only a firing's start or end is ever announced
 * (state-machine.ts), so {{status}} is "firing" or "resolved"; {{state}} stays the rule's state.
 */
export function notificationVars(rule: { id: string; name: string; definition: RuleDefinition }, n: NotificationChange): TemplateVars {
	const def = rule.definition;
	let reason = n.reason;
	if (n.firingSince !== undefined) {
		const since = atText(n.firingSince);
		// The time alone when it is the notice's day; with the date otherwise.
		reason += `; firing since ${since.slice(0, 10) === atText(n.at).slice(0, 10) ? since.slice(11) : since}`;
	}
	return {
		rule: rule.name,
		rule_id: rule.id,
		state: n.to,
		previous_state: n.from,
		status: FIRING_STATES.includes(n.to) ? 'firing' : 'resolved',
		metric: def.kind === 'metric' ? def.metric : def.kind,
		value: n.value,
		threshold: n.threshold,
		...unitTexts(def, n.value, n.threshold),
		...conditionTexts(def, n.threshold),
		at: new Date(n.at).toISOString(),
		at_text: atText(n.at),
		reason
	};
}

/**
 * The Test button's message: status "test" for templates that show it (the default does), and a rule name
 * that says it is no real alert for those that only show {{state}} and {{rule}}.
 */
export function testNotificationVars(now: number): TemplateVars {
	const def: RuleDefinition = {
		kind: 'metric',
		metric: 'csat',
		scope: { kind: 'all' },
		comparator: '<',
		threshold: 70,
		recovery_threshold: null,
		pending_s: 0,
		keep_firing_s: 0,
		nodata: 'nodata'
	};
	return {
		...notificationVars(
			{ id: '', name: 'Test notification (not a real alert)', definition: def },
			{ from: 'normal', to: 'firing', at: now, value: 64.2, threshold: 70, reason: 'sent with the Test button of cx-command' }
		),
		rule_id: null,
		status: 'test'
	};
}

/** Placeholders of `template` that are not template fields, each once, as written ("{{nope}}"). */
export function unknownPlaceholders(template: string): string[] {
	const names = [...template.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((m) => m[1]);
	return [...new Set(names.filter((n) => !(TEMPLATE_FIELDS as readonly string[]).includes(n)))].map((n) => `{{${n}}}`);
}

/** `{{` with no `}}` before the next `{{` or the end: a placeholder that would be sent as written. Each as its text up to the next space. */
export function unclosedPlaceholders(template: string): string[] {
	const out: string[] = [];
	for (const m of template.matchAll(/\{\{/g)) {
		const rest = template.slice(m.index + 2);
		const close = rest.indexOf('}}');
		const next = rest.indexOf('{{');
		if (close === -1 || (next !== -1 && next < close)) out.push(`{{${rest.split(/[\s{]/)[0]}`);
	}
	return [...new Set(out)];
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
