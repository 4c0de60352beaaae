import { describe, expect, it } from 'vitest';
import type { CustomerCandidate } from './customer-matches';
import { evaluateTick } from './evaluate-tick';
import type { AlertRule } from './rule-schema';
import { aMetricRuleDef } from '../../../../tests/fixtures/alerts';

// Which customers match is decided in DuckDB (tests/integration/customer-matches.test.ts); these
// tests cover what a tick does with the matches.
const NOW = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;
const cust = (id: string, matches: string[], over: Partial<CustomerCandidate> = {}): CustomerCandidate => ({
	customer_id: id,
	monthly_value: 100,
	matches,
	debt: null,
	limit: null,
	probability: null,
	last_event_at: null,
	cooling_reasons: [],
	...over
});
const rule = (id: string, definition: AlertRule['definition']): AlertRule => ({
	id,
	name: id,
	enabled: true,
	definition
});
const rules = [
	rule('t', { kind: 'tolerance' }),
	rule('c', { kind: 'churn', min_probability: 0.7 }),
	rule('s', { kind: 'silent', min_monthly_value: 200, days: 30 })
];
const tick = (
	candidates: CustomerCandidate[],
	counts: [string, number][] = [],
	silences = [] as Parameters<typeof evaluateTick>[0]['silences']
) =>
	evaluateTick({
		now: NOW,
		rules,
		states: new Map(),
		tiles: new Map(),
		customers: { counts: new Map(counts), candidates },
		silences
	});

describe('evaluateTick customer rules', () => {
	it('one alert per customer: the first matching rule in rule order names the reason', () => {
		const out = tick([
			cust('a', ['c', 's'], { probability: 0.9 }),
			cust('b', ['t', 'c'], { debt: 52.345, limit: 40 })
		]);
		expect(out.customerAlerts.map((a) => `${a.customer_id}:${a.reason}`)).toEqual(['a:churn', 'b:tolerance']);
		expect(out.customerAlerts[1].detail).toEqual({ debt: 52.3, limit: 40, rule: expect.any(String) });
	});

	it('a silent match says since when, in days and as a date', () => {
		const out = tick([cust('a', ['s'], { monthly_value: 500, last_event_at: NOW - 31.5 * DAY })]);
		expect(out.customerAlerts[0]).toMatchObject({
			reason: 'silent',
			monthly_value: 500,
			detail: { silent_days: 31, last_event_at: new Date(NOW - 31.5 * DAY).toISOString() }
		});
	});

	it('a silence for the first rule lets the next matching rule name the reason', () => {
		const out = tick(
			[cust('a', ['t', 'c'], { probability: 0.8 }), cust('b', ['t'])],
			[],
			[
				{
					id: 's',
					matcher: { customer_id: 'a', rule_id: 't' },
					startsAt: NOW - 1,
					endsAt: NOW + DAY,
					comment: null,
					createdBy: 'x',
					endedAt: null,
					endedBy: null
				}
			]
		);
		expect(out.customerAlerts.map((a) => `${a.customer_id}:${a.reason}`)).toEqual(['a:churn', 'b:tolerance']);
	});

	it('a customer in the cool-down of the reason that would open their item gets no item at all', () => {
		const out = tick([
			cust('a', ['t', 'c'], { cooling_reasons: ['tolerance'] }),
			cust('b', ['t', 'c'], { cooling_reasons: ['churn'] })
		]);
		expect(out.customerAlerts.map((a) => `${a.customer_id}:${a.reason}`)).toEqual(['b:tolerance']);
	});

	it('rule state follows the match counts, candidates or not', () => {
		const out = tick(
			[],
			[
				['t', 2],
				['c', 0]
			]
		);
		expect(out.customerAlerts).toEqual([]);
		expect(out.states.get('t')).toEqual({ state: 'firing', since: NOW, lastValue: 2, unnotified: false });
		expect(out.states.get('c')).toEqual({ state: 'normal', since: NOW, lastValue: 0, unnotified: false });
		expect(out.transitions.map((t) => `${t.rule_id}:${t.to}:${t.reason}`)).toEqual([
			't:firing:2 customers match'
		]);
	});

	it('metric rules without a tile value see no data', () => {
		const out = evaluateTick({
			now: NOW,
			rules: [rule('m', aMetricRuleDef({ scope: { kind: 'channel', value: 'web' } }))],
			states: new Map(),
			tiles: new Map([['csat', 10]]),
			customers: null,
			silences: []
		});
		expect(out.states.get('m')?.state).toBe('nodata');
	});
});

describe('evaluateTick metric rules with a minimum sample', () => {
	const csat = (over: Parameters<typeof aMetricRuleDef>[0] = {}): AlertRule =>
		rule('csat-low', aMetricRuleDef({ min_sample: 10, ...over }));
	const metricTick = (r: AlertRule, value: number, ratings: number | undefined) =>
		evaluateTick({
			now: NOW,
			rules: [r],
			states: new Map(),
			tiles: new Map([['csat', value]]),
			samples: ratings === undefined ? undefined : new Map([['csat', ratings]]),
			customers: null,
			silences: []
		});

	it('one low rating below the minimum is no data, saying why, with the value it did not judge', () => {
		const out = metricTick(csat(), 0, 1);
		expect(out.states.get('csat-low')).toMatchObject({ state: 'nodata', lastValue: 0 });
		expect(out.transitions).toMatchObject([{ from: 'normal', to: 'nodata', value: 0, reason: 'too few to judge (1 CSAT rating; 10 needed)' }]);
		expect(out.notes.get('csat-low')).toBe('too few to judge (1 CSAT rating; 10 needed)');
		expect(out.notifications).toEqual([]);
	});

	it('at or above the minimum it fires as before', () => {
		for (const ratings of [10, 11]) {
			const out = metricTick(csat(), 40, ratings);
			expect(out.states.get('csat-low')?.state).toBe('firing');
			expect(out.notes.has('csat-low')).toBe(false);
			expect(out.notifications).toHaveLength(1);
		}
	});

	it('follows the rule’s own no-data behaviour', () => {
		expect(metricTick(csat({ nodata: 'alerting' }), 90, 3).transitions).toMatchObject([
			{ to: 'firing', reason: 'too few to judge (3 CSAT ratings; 10 needed), treated as alerting' }
		]);
		expect(metricTick(csat({ nodata: 'ok' }), 0, 3).states.get('csat-low')?.state).toBe('normal');
		expect(metricTick(csat({ nodata: 'keep_last' }), 0, 3).states.get('csat-low')?.state).toBe('normal');
	});

	it('without min_sample, or with no count known, one rating fires as it always did', () => {
		expect(metricTick(csat({ min_sample: undefined }), 0, 1).states.get('csat-low')?.state).toBe('firing');
		expect(metricTick(csat({ min_sample: null }), 0, 1).states.get('csat-low')?.state).toBe('firing');
		expect(metricTick(csat(), 0, undefined).states.get('csat-low')?.state).toBe('firing');
	});
});
