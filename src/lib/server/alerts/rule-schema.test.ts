import { describe, expect, it } from 'vitest';
import { parseRule } from './rules';
import { describeRule } from './rule-schema';
import { aMetricRuleDef } from '../../../../tests/fixtures/alerts';

const metric = (over: Record<string, unknown> = {}) => ({
	name: 'r',
	definition: { kind: 'metric', metric: 'csat', comparator: '<', threshold: 70, ...over }
});
const errorsOf = (input: unknown) => {
	const r = parseRule(input);
	return r.ok ? [] : r.errors;
};

describe('rule thresholds are checked against the metric unit', () => {
	it.each([
		['csat', '<', 150, 'definition.threshold', /CSAT is a percentage: the threshold must be from 0 to 100 %, not 150/],
		['csat', '<', -20, 'definition.threshold', /from 0 to 100 %, not -20/],
		['complaint_rate', '>', 101, 'definition.threshold', /Complaint rate is a percentage/],
		['nps', '<', 500, 'definition.threshold', /NPS is a score from −100 to 100: the threshold must be from −100 to 100, not 500/],
		['nps', '>', -101, 'definition.threshold', /from −100 to 100/],
		['frt_p90', '>', -5, 'definition.threshold', /First response \(p90\) is a time: the threshold must be 0 s or more/],
		['active_customers', '<', -1, 'definition.threshold', /Active customers is a count: the threshold must be 0 or more/],
		['at_risk_revenue', '>', -10, 'definition.threshold', /At-risk revenue is an amount of money: the threshold must be £0 or more/],
		['avg_relationship_days', '<', -1, 'definition.threshold', /must be 0 days or more/]
	])('%s %s %s is refused naming %s', (m, comparator, threshold, field, message) => {
		expect(errorsOf(metric({ metric: m, comparator, threshold }))).toEqual([{ field, message: expect.stringMatching(message) }]);
	});

	it.each([
		['csat', '<', 0.5],
		['csat', '<=', 100],
		['nps', '<', -50],
		['nps', '>', 99],
		['frt_median', '>', 7200],
		['active_customers', '<', 10]
	])('%s %s %s is accepted', (m, comparator, threshold) => {
		expect(errorsOf(metric({ metric: m, comparator, threshold }))).toEqual([]);
	});

	it('refuses a condition that can never be met at the edge of the range', () => {
		expect(errorsOf(metric({ comparator: '<', threshold: 0 }))).toEqual([
			{ field: 'definition.threshold', message: 'CSAT < 0 % can never be true (CSAT is never below 0 %); the rule would never fire' }
		]);
		expect(errorsOf(metric({ comparator: '>', threshold: 100 }))).toEqual([
			{ field: 'definition.threshold', message: expect.stringContaining('can never be true') }
		]);
		expect(errorsOf(metric({ metric: 'active_customers', comparator: '<', threshold: 0 }))).toEqual([
			{ field: 'definition.threshold', message: expect.stringContaining('can never be true') }
		]);
		// At or below 0 % can happen: every rating bad.
		expect(errorsOf(metric({ comparator: '<=', threshold: 0 }))).toEqual([]);
	});

	it('checks the recovery threshold against the same range', () => {
		expect(errorsOf(metric({ threshold: 90, recovery_threshold: 120 }))).toEqual([
			{ field: 'definition.recovery_threshold', message: expect.stringMatching(/recovery threshold must be from 0 to 100 %, not 120/) }
		]);
		expect(errorsOf(metric({ metric: 'nps', comparator: '>', threshold: 0, recovery_threshold: -150 }))).toEqual([
			{ field: 'definition.recovery_threshold', message: expect.stringMatching(/from −100 to 100, not -150/) }
		]);
		expect(errorsOf(metric({ threshold: 70, recovery_threshold: 100 }))).toEqual([]);
	});
});

describe('validation messages are written for people', () => {
	it.each([
		[{ pending_s: -1 }, 'definition.pending_s', 'pending period must be a whole number of seconds from 0 to 86,400 (24 h)'],
		[{ pending_s: 1.5 }, 'definition.pending_s', 'pending period must be a whole number of seconds from 0 to 86,400 (24 h)'],
		[{ pending_s: 90_000 }, 'definition.pending_s', 'pending period must be a whole number of seconds from 0 to 86,400 (24 h)'],
		[{ pending_s: '60' }, 'definition.pending_s', 'pending period must be a whole number of seconds from 0 to 86,400 (24 h)'],
		[{ keep_firing_s: 86_401 }, 'definition.keep_firing_s', 'keep-firing period must be a whole number of seconds from 0 to 86,400 (24 h)'],
		[{ threshold: 'x' }, 'definition.threshold', 'threshold must be a number in the metric’s unit'],
		[{ threshold: undefined }, 'definition.threshold', 'threshold must be a number in the metric’s unit'],
		[{ recovery_threshold: 'x' }, 'definition.recovery_threshold', 'recovery threshold must be a number in the metric’s unit, or null for none'],
		[{ comparator: '=' }, 'definition.comparator', 'comparator must be one of <, <=, >, >= (below, at or below, above, at or above)'],
		[{ nodata: 'skip' }, 'definition.nodata', 'no-data behaviour must be one of nodata, keep_last, ok, alerting'],
		[{ scope: { kind: 'region', value: 'x' } }, 'definition.scope.kind', 'scope must be all, channel or segment'],
		[{ scope: { kind: 'segment', value: '' } }, 'definition.scope.value', 'segment is required for a segment scope']
	])('%j → %s: %s', (over, field, message) => {
		expect(errorsOf(metric(over))).toEqual([{ field, message }]);
	});

	it('names, enabled, kinds and customer rule fields', () => {
		expect(errorsOf({ name: '', definition: { kind: 'tolerance' } })).toEqual([{ field: 'name', message: 'name is required' }]);
		expect(errorsOf({ name: 'x'.repeat(201), definition: { kind: 'tolerance' } })).toEqual([
			{ field: 'name', message: 'name must be at most 200 characters' }
		]);
		expect(errorsOf({ name: 'r', enabled: 'yes', definition: { kind: 'tolerance' } })).toEqual([
			{ field: 'enabled', message: 'enabled must be true or false' }
		]);
		expect(errorsOf({ name: 'r' })).toEqual([
			{ field: 'definition', message: 'definition is required: {"kind": "metric" | "tolerance" | "churn" | "silent", …}' }
		]);
		expect(errorsOf({ name: 'r', definition: { kind: 'nope' } })).toEqual([
			{ field: 'definition.kind', message: 'kind must be one of metric, tolerance, churn, silent' }
		]);
		expect(errorsOf({ name: 'r', definition: { kind: 'churn', min_probability: 70 } })).toEqual([
			{ field: 'definition.min_probability', message: 'minimum churn probability must be a number from 0 to 1 (0.7 = 70 %)' }
		]);
		expect(errorsOf({ name: 'r', definition: { kind: 'churn', min_risk_band: 'high' } })).toEqual([]);
		expect(errorsOf({ name: 'r', definition: { kind: 'churn', min_risk_band: 'medium' } })).toEqual([]);
		expect(errorsOf({ name: 'r', definition: { kind: 'churn', min_risk_band: 'low' } })).toEqual([
			{ field: 'definition.min_risk_band', message: 'minimum risk band must be one of "high", "medium" (the champion\'s bands: high = its riskiest 10 %)' }
		]);
		expect(errorsOf({ name: 'r', definition: { kind: 'churn' } })).toEqual([
			{ field: 'definition.min_probability', message: 'a churn rule needs exactly one of min_probability (a number from 0 to 1, 0.7 = 70 %) or min_risk_band ("high" or "medium")' }
		]);
		expect(errorsOf({ name: 'r', definition: { kind: 'churn', min_probability: 0.5, min_risk_band: 'high' } })).toEqual([
			{ field: 'definition.min_risk_band', message: 'a churn rule needs exactly one of min_probability (a number from 0 to 1, 0.7 = 70 %) or min_risk_band ("high" or "medium"), not both' }
		]);
		expect(describeRule({ kind: 'churn', min_risk_band: 'high' })).toBe('churn risk band high');
		expect(describeRule({ kind: 'churn', min_risk_band: 'medium' })).toBe('churn risk band medium or high');
		expect(describeRule({ kind: 'churn', min_probability: 0.7 })).toBe('churn probability ≥ 70 %');
		expect(describeRule({ kind: 'churn', min_probability: 0.125 })).toBe('churn probability ≥ 12.5 %');
		expect(errorsOf({ name: 'r', definition: { kind: 'silent', min_monthly_value: -1, days: 30 } })).toEqual([
			{ field: 'definition.min_monthly_value', message: 'minimum monthly value must be £0 or more' }
		]);
		expect(errorsOf({ name: 'r', definition: { kind: 'silent', min_monthly_value: 100, days: 0.5 } })).toEqual([
			{ field: 'definition.days', message: 'silent period must be a whole number of days from 1 to 3,650' }
		]);
	});

	it('no message is zod’s own wording', () => {
		const bad = [
			metric({ pending_s: -1, keep_firing_s: 1e9, threshold: 'x', comparator: 1, nodata: 2, scope: 3, metric: 4 }),
			{ id: 5, name: 6, enabled: 7, definition: 8 },
			{ name: 'r', definition: { kind: 'churn' } },
			{ name: 'r', definition: { kind: 'silent', min_monthly_value: 'a', days: 'b' } }
		];
		for (const input of bad) {
			const errors = errorsOf(input);
			expect(errors.length).toBeGreaterThan(0);
			for (const e of errors) expect(e.message, JSON.stringify(e)).not.toMatch(/Invalid input|Too (small|big)|expected \w+, received|Invalid option/);
		}
	});
});

describe('a metric rule’s minimum sample (min_sample)', () => {
	const parsed = (over: Record<string, unknown>) => {
		const r = parseRule(metric(over));
		if (!r.ok) throw new Error(JSON.stringify(r.errors));
		return r.value.definition;
	};

	it('takes a whole number from 1 to 1,000,000, or null or nothing for no minimum', () => {
		expect(parsed({ min_sample: 30 })).toMatchObject({ min_sample: 30 });
		expect(parsed({ min_sample: 1 })).toMatchObject({ min_sample: 1 });
		expect(parsed({ min_sample: 1_000_000 })).toMatchObject({ min_sample: 1_000_000 });
		expect(parsed({ min_sample: null })).toMatchObject({ min_sample: null });
		// A rule written without it reads back without it: its stored JSON does not change.
		expect(parsed({})).not.toHaveProperty('min_sample');
	});

	it.each([0, -5, 2.5, 1_000_001, '10'])('refuses %o naming min_sample', (min_sample) => {
		expect(errorsOf(metric({ min_sample }))).toEqual([
			{
				field: 'definition.min_sample',
				message: 'min_sample must be a whole number from 1 to 1,000,000 (the fewest observations the value must rest on), or null for none'
			}
		]);
	});

	it('refuses it on a metric that counts no observations, naming the field and the metrics that do', () => {
		expect(errorsOf(metric({ metric: 'active_customers', comparator: '<', threshold: 10, min_sample: 10 }))).toEqual([
			{
				field: 'definition.min_sample',
				message: expect.stringMatching(/^min_sample needs a metric that counts its observations \(csat, nps, .*\); Active customers has none/)
			}
		]);
		expect(errorsOf(metric({ metric: 'active_customers', comparator: '<', threshold: 10, min_sample: null }))).toEqual([]);
	});

	it('is part of the condition in words', () => {
		const def = parsed({ min_sample: 30 });
		expect(describeRule(def)).toBe('CSAT < 70 %, judged on at least 30 CSAT ratings');
		expect(describeRule(parsed({ min_sample: 1 }))).toBe('CSAT < 70 %, judged on at least 1 CSAT rating');
		expect(describeRule(parsed({}))).toBe('CSAT < 70 %');
	});

	it('the tests’ metric-rule builder (tests/fixtures/alerts.ts) is what the schema stores, defaults filled in', () => {
		expect(parsed({})).toEqual(aMetricRuleDef());
		const web = { scope: { kind: 'channel', value: 'web' }, min_sample: 10 } as const;
		expect(parsed(web)).toEqual(aMetricRuleDef(web));
	});
});
