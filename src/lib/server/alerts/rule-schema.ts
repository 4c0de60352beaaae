// Alert rules as data (DESIGN §6): their JSON shape, validated with zod. Shared by the API, the
// rule editor, JSON export/import and the evaluator.
import { z } from 'zod';
import { formatValue } from '../../shared/format';
import { findMetric, formatMetricValue } from '../metrics/definitions';
import { CHANNELS } from '../../shared/events';
import { COMPARATORS, NODATA_BEHAVIOURS, type Comparator } from './state-machine';

// Scope values are checked like GET /metrics checks its query: a rule on a channel the metrics would
// refuse never gets a value and would sit in nodata forever.
const scope = z.discriminatedUnion('kind', [
	z.strictObject({ kind: z.literal('all') }),
	z.strictObject({
		kind: z.literal('channel'),
		value: z.enum(CHANNELS, { error: (i) => `unknown channel ${JSON.stringify(i.input)}; use one of ${CHANNELS.join(', ')}` })
	}),
	z.strictObject({
		kind: z.literal('segment'),
		value: z.string().min(1, 'segment is required').max(100, 'segment: at most 100 characters')
	})
]);

/** `<` fires below the threshold, so it recovers above it: a recovery value on the firing side never lets the rule recover there. */
function recoverySideIssue(def: { comparator: Comparator; threshold: number; recovery_threshold: number | null }): string | null {
	const r = def.recovery_threshold;
	if (r === null) return null;
	const below = def.comparator === '<' || def.comparator === '<=';
	if (below && r < def.threshold)
		return `must be at least the threshold (${def.threshold}) for comparator ${def.comparator}: the rule recovers when the value rises back above it`;
	if (!below && r > def.threshold)
		return `must be at most the threshold (${def.threshold}) for comparator ${def.comparator}: the rule recovers when the value falls back below it`;
	return null;
}

// Strict objects: an unknown or misspelt key (`recovery_treshold`) is refused by name instead of
// being dropped, which would silently leave the rule with the default.
export const metricRuleSchema = z
	.strictObject({
		kind: z.literal('metric'),
		metric: z.string().regex(/^[a-z][a-z0-9_]*$/, 'metric id: lower-case letters, digits and _'),
		scope: scope.default({ kind: 'all' }),
		comparator: z.enum(COMPARATORS),
		threshold: z.number().finite(),
		recovery_threshold: z.number().finite().nullable().default(null),
		pending_s: z.number().int().min(0).max(86_400).default(0),
		keep_firing_s: z.number().int().min(0).max(86_400).default(0),
		nodata: z.enum(NODATA_BEHAVIOURS).default('nodata')
	})
	.superRefine((def, ctx) => {
		const message = recoverySideIssue(def);
		if (message) ctx.addIssue({ code: 'custom', path: ['recovery_threshold'], message });
	});

export const toleranceRuleSchema = z.strictObject({ kind: z.literal('tolerance') });
export const churnRuleSchema = z.strictObject({
	kind: z.literal('churn'),
	min_probability: z.number().min(0).max(1)
});
export const silentRuleSchema = z.strictObject({
	kind: z.literal('silent'),
	min_monthly_value: z.number().min(0),
	days: z.number().int().min(1).max(3650)
});

export const ruleDefinitionSchema = z.discriminatedUnion('kind', [
	metricRuleSchema,
	toleranceRuleSchema,
	churnRuleSchema,
	silentRuleSchema
]);

/** The kinds a rule (and a silence matcher) may name. */
export const RULE_KINDS = ['metric', 'tolerance', 'churn', 'silent'] as const;

export const ruleInputSchema = z.strictObject({
	id: z
		.string()
		.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'rule id: lower-case letters, digits, - and _ (at most 64)')
		.optional(),
	name: z.string().trim().min(1, 'name is required').max(200),
	enabled: z.boolean().default(true),
	definition: ruleDefinitionSchema
});

export type MetricRuleDef = z.infer<typeof metricRuleSchema>;
export type RuleDefinition = z.infer<typeof ruleDefinitionSchema>;
export type CustomerRuleDef = Exclude<RuleDefinition, MetricRuleDef>;
export type RuleInput = z.input<typeof ruleInputSchema>;

export interface AlertRule {
	id: string;
	name: string;
	enabled: boolean;
	definition: RuleDefinition;
}

export interface FieldError {
	field: string;
	message: string;
}

export function issuesToErrors(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldError[] {
	const field = (path: readonly PropertyKey[]) => prefix + (path.length ? path.map(String).join('.') : '(body)');
	// zod reports unknown keys on the object that holds them; the caller needs the key itself as the field.
	return issues.flatMap((i) =>
		i.code === 'unrecognized_keys'
			? i.keys.map((k) => ({ field: field([...i.path, k]), message: `unknown key ${JSON.stringify(k)}` }))
			: [{ field: field(i.path), message: i.message }]
	);
}

export function isMetricRule(def: RuleDefinition): def is MetricRuleDef {
	return def.kind === 'metric';
}

/** Where a metric rule's value comes from in the ticker's tile set. */
export function tileKey(def: Pick<MetricRuleDef, 'metric' | 'scope'>): string {
	return def.scope.kind === 'all' ? def.metric : `${def.metric}|${def.scope.kind}:${def.scope.value}`;
}

export function describeRule(def: RuleDefinition): string {
	switch (def.kind) {
		case 'metric': {
			const where = def.scope.kind === 'all' ? '' : ` (${def.scope.kind} ${def.scope.value})`;
			return `${findMetric(def.metric)?.label ?? def.metric}${where} ${def.comparator} ${formatMetricValue(def.metric, def.threshold)}`;
		}
		case 'tolerance':
			return 'experience debt crossed the tolerance limit';
		case 'churn':
			return `churn probability ≥ ${Math.round(def.min_probability * 100)} %`;
		case 'silent':
			return `customer worth ≥ ${formatValue(def.min_monthly_value, 'currency')}/month silent for ${def.days} days`;
	}
}
