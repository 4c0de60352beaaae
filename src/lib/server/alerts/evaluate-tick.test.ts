import { describe, expect, it } from 'vitest';
import type { CustomerCandidate } from './customer-matches';
import { evaluateTick } from './evaluate-tick';
import type { AlertRule } from './rule-schema';

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
			rules: [
				rule('m', {
					kind: 'metric',
					metric: 'csat',
					scope: { kind: 'channel', value: 'web' },
					comparator: '<',
					threshold: 70,
					recovery_threshold: null,
					pending_s: 0,
					keep_firing_s: 0,
					nodata: 'nodata'
				})
			],
			states: new Map(),
			tiles: new Map([['csat', 10]]),
			customers: null,
			silences: []
		});
		expect(out.states.get('m')?.state).toBe('nodata');
	});
});
