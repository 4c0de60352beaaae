// Alert rules as data (DESIGN §6): their JSON shape, validated with zod. Shared by the API, the
// rule editor, JSON export/import and the evaluator.
import { z } from 'zod';
import { formatValue } from '../../shared/format';
import { findMetric, formatMetricValue } from '../metrics/definitions';
import { COMPARATORS, NODATA_BEHAVIOURS } from './state-machine';

const scope = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('all') }),
	z.object({ kind: z.literal('channel'), value: z.string().min(1) }),
	z.object({ kind: z.literal('segment'), value: z.string().min(1) })
]);

export const metricRuleSchema = z.object({
	kind: z.literal('metric'),
	metric: z.string().regex(/^[a-z][a-z0-9_]*$/, 'metric id: lower-case letters, digits and _'),
	scope: scope.default({ kind: 'all' }),
	comparator: z.enum(COMPARATORS),
	threshold: z.number().finite(),
	recovery_threshold: z.number().finite().nullable().default(null),
	pending_s: z.number().int().min(0).max(86_400).default(0),
	keep_firing_s: z.number().int().min(0).max(86_400).default(0),
	nodata: z.enum(NODATA_BEHAVIOURS).default('nodata')
});

export const toleranceRuleSchema = z.object({ kind: z.literal('tolerance') });
export const churnRuleSchema = z.object({
	kind: z.literal('churn'),
	min_probability: z.number().min(0).max(1)
});
export const silentRuleSchema = z.object({
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

export const ruleInputSchema = z.object({
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
	return issues.map((i) => ({
		field: prefix + (i.path.length ? i.path.join('.') : '(body)'),
		message: i.message
	}));
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
