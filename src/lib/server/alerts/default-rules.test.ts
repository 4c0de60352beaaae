import { describe, expect, it } from 'vitest';
import { findMetric } from '../metrics/definitions';
import { DEFAULT_RULES } from './default-rules';
import { evaluateTick } from './evaluate-tick';
import { parseRule } from './rules';
import { isMetricRule, tileKey, type AlertRule, type MetricRuleDef } from './rule-schema';

const NOW = Date.UTC(2026, 5, 1);

/** The seeded rules as the database stores them (defaults filled in). */
const seeded: AlertRule[] = DEFAULT_RULES.map((r) => {
	const p = parseRule(r);
	if (!p.ok) throw new Error(`${r.id}: ${JSON.stringify(p.errors)}`);
	return p.value;
});

/** Seeded metric rules on a share of counted observations (CSAT ratings, interactions…): a rate. */
const rateRules = seeded.filter((r): r is AlertRule & { definition: MetricRuleDef } => {
	if (!isMetricRule(r.definition)) return false;
	const m = findMetric(r.definition.metric);
	return m?.unit === 'percent' && m.sample !== undefined;
});

/** The rule after one tick from a fresh state, with `value` resting on `n` observations. */
function judge(rule: AlertRule & { definition: MetricRuleDef }, value: number, n: number) {
	const key = tileKey(rule.definition);
	const out = evaluateTick({
		now: NOW,
		rules: [rule],
		states: new Map(),
		tiles: new Map([[key, value]]),
		samples: new Map([[key, n]]),
		customers: null,
		silences: []
	});
	return { state: out.states.get(rule.id)?.state, note: out.notes.get(rule.id) ?? null };
}

describe('seeded rate rules', () => {
	it('include the CSAT and complaint-rate rules', () => {
		expect(rateRules.map((r) => r.id).sort()).toEqual(['complaints-high', 'csat-low']);
	});

	it('never alert on one bad observation, however few observations there are', () => {
		for (const rule of rateRules) {
			const { comparator } = rule.definition;
			for (let n = 1; n <= 500; n++) {
				// One low rating among n (the rest good), or one complaint among n interactions.
				const value = comparator === '<' || comparator === '<=' ? (100 * (n - 1)) / n : 100 / n;
				expect(judge(rule, value, n).state, `${rule.id}: 1 of ${n}`).not.toMatch(/^(pending|firing)$/);
			}
		}
	});

	it('complaint rate: one complaint among 5 interactions is not judged; 2 among 20 (10 %) still alerts', () => {
		const rule = rateRules.find((r) => r.id === 'complaints-high')!;
		expect(judge(rule, 20, 5)).toEqual({ state: 'normal', note: 'too few to judge (5 interactions; 20 needed)' });
		expect(judge(rule, 10, 20)).toEqual({ state: 'pending', note: null });
	});
});
