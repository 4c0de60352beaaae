import { describe, expect, it } from 'vitest';
import {
	endRule,
	enterState,
	INITIAL_STATE,
	stepRule,
	type AlertState,
	type Observation,
	type RuleState,
	type ThresholdConfig
} from './state-machine';

const base: ThresholdConfig = {
	comparator: '>',
	threshold: 80,
	recoveryThreshold: null,
	pendingS: 0,
	keepFiringS: 0,
	noData: 'nodata'
};

/** A step: at t seconds the rule sees v (number, 'nodata' or 'error'); want is the state after it. */
type Step = [t: number, v: number | 'nodata' | 'error', want: AlertState, notify?: boolean];

function run(cfg: ThresholdConfig, steps: Step[], silenced = false) {
	let s: RuleState = INITIAL_STATE;
	const out: { state: AlertState; notify: boolean }[] = [];
	for (const [t, v] of steps) {
		const obs: Observation =
			v === 'nodata'
				? { kind: 'nodata' }
				: v === 'error'
					? { kind: 'error', message: 'query failed' }
					: { kind: 'value', value: v };
		const r = stepRule(cfg, s, obs, t * 1000, { silenced });
		s = r.state;
		out.push({ state: s.state, notify: r.notification !== null });
	}
	return out;
}

const cases: { name: string; cfg: Partial<ThresholdConfig>; steps: Step[]; silenced?: boolean }[] = [
	{
		name: 'fires at once without a pending period',
		cfg: {},
		steps: [
			[0, 50, 'normal'],
			[1, 90, 'firing', true],
			[2, 70, 'normal', true]
		]
	},
	{
		name: 'pending until the period has held',
		cfg: { pendingS: 60 },
		steps: [
			[0, 90, 'pending'],
			[30, 95, 'pending'],
			[59, 95, 'pending'],
			[60, 95, 'firing', true]
		]
	},
	{
		name: 'pending cleared before the period ends',
		cfg: { pendingS: 60 },
		steps: [
			[0, 90, 'pending'],
			[30, 10, 'normal'],
			[70, 10, 'normal']
		]
	},
	{
		name: 'hysteresis: stays firing until the recovery threshold is passed',
		cfg: { recoveryThreshold: 70 },
		steps: [
			[0, 85, 'firing', true],
			[1, 75, 'firing'],
			[2, 71, 'firing'],
			[3, 69, 'normal', true],
			[4, 75, 'normal'],
			[5, 81, 'firing', true]
		]
	},
	{
		name: 'keep firing: recovering for the keep period, back to firing if it returns',
		cfg: { keepFiringS: 120 },
		steps: [
			[0, 90, 'firing', true],
			[10, 50, 'recovering'],
			[60, 90, 'firing'],
			[70, 50, 'recovering'],
			[150, 50, 'recovering'],
			[190, 50, 'normal', true]
		]
	},
	{
		name: 'comparator < (lower is bad)',
		cfg: { comparator: '<', threshold: 30, recoveryThreshold: 40 },
		steps: [
			[0, 35, 'normal'],
			[1, 29, 'firing', true],
			[2, 35, 'firing'],
			[3, 41, 'normal', true]
		]
	},
	{ name: '>= includes the threshold', cfg: { comparator: '>=' }, steps: [[0, 80, 'firing', true]] },
	{
		name: 'no data → nodata, then back via values',
		cfg: {},
		steps: [
			[0, 90, 'firing', true],
			[1, 'nodata', 'nodata', true],
			[2, 50, 'normal']
		]
	},
	{
		name: 'no data keep_last keeps firing',
		cfg: { noData: 'keep_last' },
		steps: [
			[0, 90, 'firing', true],
			[1, 'nodata', 'firing'],
			[2, 'nodata', 'firing']
		]
	},
	{
		name: 'no data ok resolves',
		cfg: { noData: 'ok' },
		steps: [
			[0, 90, 'firing', true],
			[1, 'nodata', 'normal', true]
		]
	},
	{
		name: 'no data alerting fires after the pending period',
		cfg: { noData: 'alerting', pendingS: 10 },
		steps: [
			[0, 'nodata', 'pending'],
			[10, 'nodata', 'firing', true]
		]
	},
	{
		name: 'error state, then recovers on the next value',
		cfg: {},
		steps: [
			[0, 'error', 'error'],
			[1, 50, 'normal']
		]
	},
	{
		name: 'silenced: states move but nothing notifies',
		cfg: { pendingS: 5 },
		silenced: true,
		steps: [
			[0, 90, 'pending'],
			[5, 90, 'firing', false],
			[6, 10, 'normal', false]
		]
	}
];

describe('stepRule', () => {
	it.each(cases)('$name', ({ cfg, steps, silenced }) => {
		const got = run({ ...base, ...cfg }, steps, silenced);
		expect(got.map((g) => g.state)).toEqual(steps.map((s) => s[2]));
		expect(got.map((g) => g.notify)).toEqual(steps.map((s) => s[3] ?? false));
	});

	it('records the transition with time, value and reason', () => {
		const r = stepRule(
			{ ...base, pendingS: 60 },
			{ state: 'pending', since: 0, lastValue: 90, unnotified: false },
			{ kind: 'value', value: 91 },
			60_000
		);
		expect(r.transition).toEqual({
			from: 'pending',
			to: 'firing',
			at: 60_000,
			value: 91,
			reason: 'condition held for 60 s'
		});
		expect(r.state.since).toBe(60_000);
	});
});

describe('a firing a silence held back (Alertmanager: announced when the silence ends)', () => {
	const value = (v: number): Observation => ({ kind: 'value', value: v });

	it('silenced → firing (nothing sent) → silence ends while firing → the next step sends [firing] once', () => {
		const cfg = { ...base, keepFiringS: 0 };
		const a = stepRule(cfg, INITIAL_STATE, value(90), 1000, { silenced: true });
		expect(a.state).toMatchObject({ state: 'firing', unnotified: true });
		expect(a.notification).toBeNull();
		const b = stepRule(cfg, a.state, value(91), 2000, { silenced: true });
		expect(b.notification).toBeNull();
		const c = stepRule(cfg, b.state, value(92), 3000);
		expect(c.transition).toBeNull();
		expect(c.notification).toEqual({ from: 'firing', to: 'firing', at: 3000, value: 92, reason: 'silence ended' });
		expect(c.state).toMatchObject({ state: 'firing', since: 1000, unnotified: false });
		const d = stepRule(cfg, c.state, value(93), 4000);
		expect(d.notification).toBeNull();
		// Notified now, so its end is announced.
		const e = stepRule(cfg, d.state, value(10), 5000);
		expect(e.notification).toMatchObject({ from: 'firing', to: 'normal' });
	});

	it('a silence ending while it recovers (keep firing) still announces the start', () => {
		const cfg = { ...base, keepFiringS: 60 };
		const a = stepRule(cfg, INITIAL_STATE, value(90), 0, { silenced: true });
		const b = stepRule(cfg, a.state, value(10), 1000, { silenced: true });
		expect(b.state).toMatchObject({ state: 'recovering', unnotified: true });
		const c = stepRule(cfg, b.state, value(10), 2000);
		expect(c.notification).toMatchObject({ from: 'recovering', to: 'firing', reason: 'silence ended' });
		expect(c.state).toMatchObject({ state: 'recovering', unnotified: false });
	});

	it('a silenced firing that recovers while still silenced sends neither [firing] nor resolved, then or later', () => {
		const a = stepRule(base, INITIAL_STATE, value(90), 0, { silenced: true });
		const b = stepRule(base, a.state, value(10), 1000, { silenced: true });
		expect(b.state).toMatchObject({ state: 'normal', unnotified: false });
		expect(b.notification).toBeNull();
		const c = stepRule(base, b.state, value(10), 2000);
		expect(c.notification).toBeNull();
	});

	it('a held-back firing that clears right as its silence ends announces nothing (its start was never sent)', () => {
		const a = stepRule(base, INITIAL_STATE, value(90), 0, { silenced: true });
		const b = stepRule(base, a.state, value(10), 1000);
		expect(b.transition).toMatchObject({ from: 'firing', to: 'normal' });
		expect(b.notification).toBeNull();
	});

	it('a rule disabled or deleted while its firing was held back sends no resolved, silenced or not', () => {
		const held = stepRule(base, INITIAL_STATE, value(90), 0, { silenced: true }).state;
		for (const silenced of [true, false]) {
			const r = endRule(held, 1000, 'rule deleted by ana', { silenced });
			expect(r.transition).toMatchObject({ from: 'firing', to: 'normal' });
			expect(r.notification).toBeNull();
		}
		const notified = stepRule(base, INITIAL_STATE, value(90), 0).state;
		expect(endRule(notified, 1000, 'rule deleted by ana').notification).toMatchObject({ to: 'normal' });
	});

	it('customer rules (enterState) follow the same rule', () => {
		const a = enterState(INITIAL_STATE, 'firing', 3, '3 customers match', 0, { silenced: true });
		expect(a.notification).toBeNull();
		const b = enterState(a.state, 'firing', 4, '4 customers match', 1000);
		expect(b.notification).toMatchObject({ to: 'firing', reason: 'silence ended', value: 4 });
		const c = enterState(b.state, 'normal', 0, '0 customers match', 2000);
		expect(c.notification).toMatchObject({ from: 'firing', to: 'normal' });
	});
});
