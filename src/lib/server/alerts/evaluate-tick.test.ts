import { describe, expect, it } from 'vitest';
import { evaluateTick, type CustomerSnapshot } from './evaluate-tick';
import type { AlertRule } from './rule-schema';

const NOW = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;
const cust = (id: string, over: Partial<CustomerSnapshot> = {}): CustomerSnapshot => ({
	customer_id: id,
	segment: 'default',
	monthly_value: 100,
	debt: 0,
	debt_at: NOW,
	half_life_days: 30,
	limit: 40,
	probability: null,
	last_event_at: NOW,
	...over
});
const rule = (id: string, definition: AlertRule['definition']): AlertRule => ({
	id,
	name: id,
	enabled: true,
	definition
});

describe('evaluateTick customer rules', () => {
	it.each([
		{
			name: 'debt decayed below the limit does not match',
			c: cust('a', { debt: 60, debt_at: NOW - 30 * DAY }),
			want: []
		},
		{
			name: 'debt at the limit matches',
			c: cust('a', { debt: 80, debt_at: NOW - 30 * DAY }),
			want: ['a:tolerance']
		},
		{ name: 'churn score over the threshold', c: cust('a', { probability: 0.8 }), want: ['a:churn'] },
		{
			name: 'high-value customer silent 30 days',
			c: cust('a', { monthly_value: 500, last_event_at: NOW - 31 * DAY }),
			want: ['a:silent']
		},
		{
			name: 'low-value silent customer ignored',
			c: cust('a', { monthly_value: 50, last_event_at: NOW - 31 * DAY }),
			want: []
		},
		{
			name: 'one alert per customer, first rule wins',
			c: cust('a', { debt: 50, probability: 0.9 }),
			want: ['a:tolerance']
		},
		{
			name: 'customer with an open item is not alerted again',
			c: cust('a', { debt: 50, has_open_item: true }),
			want: []
		}
	])('$name', ({ c, want }) => {
		const rules = [
			rule('t', { kind: 'tolerance' }),
			rule('c', { kind: 'churn', min_probability: 0.7 }),
			rule('s', { kind: 'silent', min_monthly_value: 200, days: 30 })
		];
		const out = evaluateTick({
			now: NOW,
			rules,
			states: new Map(),
			tiles: new Map(),
			customers: [c],
			silences: []
		});
		expect(out.customerAlerts.map((a) => `${a.customer_id}:${a.reason}`)).toEqual(want);
	});

	it('silenced customers get no alert; rule state counts matches', () => {
		const out = evaluateTick({
			now: NOW,
			rules: [rule('t', { kind: 'tolerance' })],
			states: new Map(),
			tiles: new Map(),
			customers: [cust('a', { debt: 50 }), cust('b', { debt: 50 })],
			silences: [
				{
					id: 's',
					matcher: { customer_id: 'a' },
					startsAt: NOW - 1,
					endsAt: NOW + DAY,
					comment: null,
					createdBy: 'x'
				}
			]
		});
		expect(out.customerAlerts.map((a) => a.customer_id)).toEqual(['b']);
		expect(out.states.get('t')).toEqual({ state: 'firing', since: NOW, lastValue: 2 });
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
