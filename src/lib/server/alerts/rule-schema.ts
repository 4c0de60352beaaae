// Alert rules as data (DESIGN §6): their JSON shape, validated with zod. Shared by the API, the
// rule editor, JSON export/import and the evaluator.
import { z } from 'zod';
import { formatValue, type MetricUnit } from '../../shared/format';
import { findMetric, formatMetricValue, METRICS } from '../metrics/definitions';
import { CHANNELS } from '../../shared/events';
import { COMPARATORS, NODATA_BEHAVIOURS, type Comparator } from './state-machine';

// Messages are written for the person who typed the value (the rule editor shows them as they are):
// what the field is, what it takes and in which unit, never zod's own wording.
const WHOLE_SECONDS = (what: string) => {
	const message = `${what} must be a whole number of seconds from 0 to 86,400 (24 h)`;
	return z.number({ error: message }).int({ error: message }).min(0, { error: message }).max(86_400, { error: message });
};

// Scope values are checked like GET /metrics checks its query: a rule on a channel the metrics would
// refuse never gets a value and would sit in nodata forever (segments: rules.ts, against the database).
const scope = z.discriminatedUnion(
	'kind',
	[
		z.strictObject({ kind: z.literal('all') }),
		z.strictObject({
			kind: z.literal('channel'),
			value: z.enum(CHANNELS, { error: (i) => `unknown channel ${JSON.stringify(i.input)}; use one of ${CHANNELS.join(', ')}` })
		}),
		z.strictObject({
			kind: z.literal('segment'),
			value: z
				.string({ error: 'segment is required for a segment scope' })
				.min(1, { error: 'segment is required for a segment scope' })
				.max(100, { error: 'segment must be at most 100 characters' })
		})
	],
	{ error: 'scope must be all, channel or segment' }
);

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

/** The values a metric of each unit can take (metrics/definitions.ts units): what a threshold may be. */
const UNIT_RANGES: Record<MetricUnit, { min: number; max: number | null; is: string; range: string }> = {
	percent: { min: 0, max: 100, is: 'a percentage', range: 'from 0 to 100 %' },
	score: { min: -100, max: 100, is: 'a score from −100 to 100', range: 'from −100 to 100' },
	seconds: { min: 0, max: null, is: 'a time', range: '0 s or more (in seconds: 7200 = 2 h)' },
	count: { min: 0, max: null, is: 'a count', range: '0 or more' },
	currency: { min: 0, max: null, is: 'an amount of money', range: `${formatValue(0, 'currency')} or more` },
	days: { min: 0, max: null, is: 'a number of days', range: '0 days or more' }
};

/**
 * Thresholds outside what the metric can ever be ("CSAT < 150 %", "NPS > 500") are refused, as is a
 * condition that can never hold at the edge of the range ("CSAT < 0 %"): such a rule would never fire.
 */
function rangeIssues(def: {
	metric: string;
	comparator: Comparator;
	threshold: number;
	recovery_threshold: number | null;
}): { path: string; message: string }[] {
	const m = findMetric(def.metric);
	if (!m) return [];
	const u = UNIT_RANGES[m.unit];
	const outside = (v: number) => v < u.min || (u.max !== null && v > u.max);
	const out: { path: string; message: string }[] = [];
	if (outside(def.threshold)) out.push({ path: 'threshold', message: `${m.label} is ${u.is}: the threshold must be ${u.range}, not ${def.threshold}` });
	else {
		let never: string | null = null;
		if (def.comparator === '<' && def.threshold <= u.min) never = `below ${formatValue(u.min, m.unit)}`;
		if (def.comparator === '>' && u.max !== null && def.threshold >= u.max) never = `above ${formatValue(u.max, m.unit)}`;
		if (never)
			out.push({
				path: 'threshold',
				message: `${m.label} ${def.comparator} ${formatValue(def.threshold, m.unit)} can never be true (${m.label} is never ${never}); the rule would never fire`
			});
	}
	const r = def.recovery_threshold;
	if (r !== null && outside(r))
		out.push({ path: 'recovery_threshold', message: `${m.label} is ${u.is}: the recovery threshold must be ${u.range}, not ${r}` });
	return out;
}

const THRESHOLD_MESSAGE = 'threshold must be a number in the metric’s unit';
/** Far above any window's count of ratings or tickets, low enough that a typo of extra zeros is caught. */
export const MAX_MIN_SAMPLE = 1_000_000;
const MIN_SAMPLE_MESSAGE = `min_sample must be a whole number from 1 to ${MAX_MIN_SAMPLE.toLocaleString('en-GB')} (the fewest observations the value must rest on), or null for none`;

/** min_sample counts the observations a metric declares (definitions.ts `sample`); a metric without them has nothing to count. */
function minSampleIssue(def: { metric: string; min_sample?: number | null }): string | null {
	if (def.min_sample == null) return null;
	const m = findMetric(def.metric);
	if (!m || m.sample) return null;
	const counted = METRICS.filter((x) => x.sample).map((x) => x.id).join(', ');
	return `min_sample needs a metric that counts its observations (${counted}); ${m.label} has none: leave min_sample out or null`;
}

// Strict objects: an unknown or misspelt key (`recovery_treshold`) is refused by name instead of
// being dropped, which would silently leave the rule with the default.
export const metricRuleSchema = z
	.strictObject({
		kind: z.literal('metric'),
		metric: z
			.string({ error: 'metric must be a metric id such as csat (lower-case letters, digits and _)' })
			.regex(/^[a-z][a-z0-9_]*$/, { error: 'metric must be a metric id such as csat (lower-case letters, digits and _)' }),
		scope: scope.default({ kind: 'all' }),
		comparator: z.enum(COMPARATORS, {
			error: 'comparator must be one of <, <=, >, >= (below, at or below, above, at or above)'
		}),
		threshold: z.number({ error: THRESHOLD_MESSAGE }),
		recovery_threshold: z
			.number({ error: 'recovery threshold must be a number in the metric’s unit, or null for none' })
			.nullable()
			.default(null),
		pending_s: WHOLE_SECONDS('pending period').default(0),
		keep_firing_s: WHOLE_SECONDS('keep-firing period').default(0),
		nodata: z.enum(NODATA_BEHAVIOURS, { error: `no-data behaviour must be one of ${NODATA_BEHAVIOURS.join(', ')}` }).default('nodata'),
		// Left out when not given, so a rule stored before min_sample existed reads back as it was written.
		min_sample: z
			.number({ error: MIN_SAMPLE_MESSAGE })
			.int({ error: MIN_SAMPLE_MESSAGE })
			.min(1, { error: MIN_SAMPLE_MESSAGE })
			.max(MAX_MIN_SAMPLE, { error: MIN_SAMPLE_MESSAGE })
			.nullable()
			.optional()
	})
	.superRefine((def, ctx) => {
		const message = recoverySideIssue(def);
		if (message) ctx.addIssue({ code: 'custom', path: ['recovery_threshold'], message });
		const sample = minSampleIssue(def);
		if (sample) ctx.addIssue({ code: 'custom', path: ['min_sample'], message: sample });
		for (const i of rangeIssues(def)) ctx.addIssue({ code: 'custom', path: [i.path], message: i.message });
	});

export const toleranceRuleSchema = z.strictObject({ kind: z.literal('tolerance') });
const PROBABILITY_MESSAGE = 'minimum churn probability must be a number from 0 to 1 (0.7 = 70 %)';
/** Bands a churn rule may start at; "medium" includes "high". */
export const CHURN_RULE_BANDS = ['high', 'medium'] as const;
const BAND_MESSAGE = `minimum risk band must be one of ${CHURN_RULE_BANDS.map((b) => `"${b}"`).join(', ')} (the champion's bands: high = its riskiest 10 %)`;
// A fixed probability, or the champion's risk band: calibrated probabilities sit near the base rate, so
// on a world where 6 % churn in a month a fixed 70 % never fires while the model's riskiest tenth does.
export const churnRuleSchema = z
	.strictObject({
		kind: z.literal('churn'),
		min_probability: z
			.number({ error: PROBABILITY_MESSAGE })
			.min(0, { error: PROBABILITY_MESSAGE })
			.max(1, { error: PROBABILITY_MESSAGE })
			.optional(),
		min_risk_band: z.enum(CHURN_RULE_BANDS, { error: BAND_MESSAGE }).optional()
	})
	.superRefine((def, ctx) => {
		const given = [def.min_probability, def.min_risk_band].filter((x) => x !== undefined).length;
		if (given !== 1)
			ctx.addIssue({
				code: 'custom',
				path: [given === 0 ? 'min_probability' : 'min_risk_band'],
				message: `a churn rule needs exactly one of min_probability (a number from 0 to 1, 0.7 = 70 %) or min_risk_band ("high" or "medium")${given === 0 ? '' : ', not both'}`
			});
	});
const MONTHLY_VALUE_MESSAGE = `minimum monthly value must be ${formatValue(0, 'currency')} or more`;
const DAYS_MESSAGE = 'silent period must be a whole number of days from 1 to 3,650';
export const silentRuleSchema = z.strictObject({
	kind: z.literal('silent'),
	min_monthly_value: z.number({ error: MONTHLY_VALUE_MESSAGE }).min(0, { error: MONTHLY_VALUE_MESSAGE }),
	days: z.number({ error: DAYS_MESSAGE }).int({ error: DAYS_MESSAGE }).min(1, { error: DAYS_MESSAGE }).max(3650, { error: DAYS_MESSAGE })
});

/** The kinds a rule (and a silence matcher) may name. */
export const RULE_KINDS = ['metric', 'tolerance', 'churn', 'silent'] as const;

const DEFINITION_SHAPE = `{"kind": ${RULE_KINDS.map((k) => `"${k}"`).join(' | ')}, …}`;

export const ruleDefinitionSchema = z.discriminatedUnion(
	'kind',
	[metricRuleSchema, toleranceRuleSchema, churnRuleSchema, silentRuleSchema],
	{
		error: (i) =>
			i.code === 'invalid_union'
				? `kind must be one of ${RULE_KINDS.join(', ')}`
				: i.input === undefined
					? `definition is required: ${DEFINITION_SHAPE}`
					: `definition must be an object: ${DEFINITION_SHAPE}`
	}
);

const ID_MESSAGE = 'rule id: lower-case letters, digits, - and _ (at most 64)';

export const ruleInputSchema = z.strictObject(
	{
		id: z.string({ error: ID_MESSAGE }).regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { error: ID_MESSAGE }).optional(),
		name: z
			.string({ error: (i) => (i.input === undefined ? 'name is required' : 'name must be text') })
			.trim()
			.min(1, { error: 'name is required' })
			.max(200, { error: 'name must be at most 200 characters' }),
		enabled: z.boolean({ error: 'enabled must be true or false' }).default(true),
		definition: ruleDefinitionSchema
	},
	{ error: 'expected a rule: {"name": …, "enabled": true, "definition": {…}}' }
);

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
			const sample = findMetric(def.metric)?.sample;
			const atLeast = def.min_sample != null && sample ? `, judged on at least ${def.min_sample.toLocaleString('en-GB')} ${def.min_sample === 1 ? sample.one : sample.many}` : '';
			return `${findMetric(def.metric)?.label ?? def.metric}${where} ${def.comparator} ${formatMetricValue(def.metric, def.threshold)}${atLeast}`;
		}
		case 'tolerance':
			return 'experience debt crossed the tolerance limit';
		case 'churn':
			return def.min_risk_band !== undefined
				? `churn risk band ${def.min_risk_band === 'high' ? 'high' : 'medium or high'}`
				: `churn probability ≥ ${Number(((def.min_probability ?? 0) * 100).toFixed(1))} %`;
		case 'silent':
			return `customer worth ≥ ${formatValue(def.min_monthly_value, 'currency')}/month silent for ${def.days} days`;
	}
}
