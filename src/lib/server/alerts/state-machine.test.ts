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
		// firingSince: the notice can say since when it fires (its own time is the silence's end).
		expect(c.notification).toEqual({ from: 'firing', to: 'firing', at: 3000, value: 92, reason: 'silence ended', firingSince: 1000 });
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

	it('a rule disabled or deleted while its firing was held back sends no resolved', () => {
		const held = stepRule(base, INITIAL_STATE, value(90), 0, { silenced: true }).state;
		const r = endRule(held, 1000, 'rule deleted by ana');
		expect(r.transition).toMatchObject({ from: 'firing', to: 'normal' });
		expect(r.notification).toBeNull();
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

describe('the end of an announced firing a silence held back (resolved once the silence is over)', () => {
	const value = (v: number): Observation => ({ kind: 'value', value: v });
	const silenced = { silenced: true };
	/** Fires unsilenced ([firing] sent), then clears at 1 s while silenced. */
	function endedWhileSilenced(cfg: ThresholdConfig = base) {
		const a = stepRule(cfg, INITIAL_STATE, value(90), 0);
		expect(a.notification).toMatchObject({ to: 'firing' });
		return stepRule(cfg, a.state, value(10), 1000, silenced);
	}

	it('clears while silenced: nothing sent, the end is owed; the first step after the silence sends it once', () => {
		const b = endedWhileSilenced();
		expect(b.transition).toMatchObject({ from: 'firing', to: 'normal' });
		expect(b.notification).toBeNull();
		expect(b.state).toEqual({ state: 'normal', since: 1000, lastValue: 10, unnotified: true });
		const c = stepRule(base, b.state, value(11), 2000, silenced);
		expect(c.notification).toBeNull();
		expect(c.state.unnotified).toBe(true);
		const d = stepRule(base, c.state, value(12), 3000);
		expect(d.transition).toBeNull();
		expect(d.notification).toEqual({ from: 'firing', to: 'normal', at: 3000, value: 12, reason: 'silence ended' });
		expect(d.state).toEqual({ state: 'normal', since: 1000, lastValue: 12, unnotified: false });
		expect(stepRule(base, d.state, value(13), 4000).notification).toBeNull();
	});

	it('fires again before the silence ends: nothing owed, no second [firing], and its end is announced', () => {
		const b = endedWhileSilenced();
		const c = stepRule(base, b.state, value(95), 2000, silenced);
		expect(c.transition).toMatchObject({ from: 'normal', to: 'firing' });
		expect(c.notification).toBeNull();
		expect(c.state).toMatchObject({ state: 'firing', unnotified: false });
		const d = stepRule(base, c.state, value(96), 3000);
		expect(d.notification).toBeNull();
		expect(stepRule(base, d.state, value(10), 4000).notification).toMatchObject({ from: 'firing', to: 'normal' });
	});

	it('fires again at the very step its silence ends: the receiver still has it open, so nothing is sent', () => {
		const b = endedWhileSilenced();
		const c = stepRule(base, b.state, value(95), 2000);
		expect(c.notification).toBeNull();
		expect(c.state).toMatchObject({ state: 'firing', unnotified: false });
	});

	it('through pending: the end still owed while pending is announced as normal; a later firing is a new one', () => {
		const cfg = { ...base, pendingS: 5 };
		const a = stepRule(cfg, INITIAL_STATE, value(90), 0);
		const b = stepRule(cfg, a.state, value(90), 5000);
		expect(b.notification).toMatchObject({ to: 'firing' });
		const c = stepRule(cfg, b.state, value(10), 6000, silenced);
		const d = stepRule(cfg, c.state, value(90), 7000, silenced);
		expect(d.state).toMatchObject({ state: 'pending', unnotified: true });
		const e = stepRule(cfg, d.state, value(90), 8000);
		expect(e.notification).toMatchObject({ from: 'firing', to: 'normal', reason: 'silence ended' });
		expect(e.state).toMatchObject({ state: 'pending', unnotified: false });
		expect(stepRule(cfg, e.state, value(90), 12_000).notification).toMatchObject({ from: 'pending', to: 'firing' });
	});

	it('pending into firing again while silenced: the firing goes on, nothing owed', () => {
		const cfg = { ...base, pendingS: 5 };
		const fired = stepRule(cfg, stepRule(cfg, INITIAL_STATE, value(90), 0).state, value(90), 5000).state;
		const c = stepRule(cfg, fired, value(10), 6000, silenced);
		const d = stepRule(cfg, c.state, value(90), 7000, silenced);
		const e = stepRule(cfg, d.state, value(90), 12_000, silenced);
		expect(e.state).toMatchObject({ state: 'firing', unnotified: false });
		expect(e.notification).toBeNull();
		expect(stepRule(cfg, e.state, value(90), 13_000).notification).toBeNull();
	});

	it('recovering (keep firing) is not an end; the end while silenced is owed', () => {
		const cfg = { ...base, keepFiringS: 60 };
		const b = endedWhileSilenced(cfg);
		expect(b.state).toMatchObject({ state: 'recovering', unnotified: false });
		const c = stepRule(cfg, b.state, value(10), 61_000, silenced);
		expect(c.state).toMatchObject({ state: 'normal', unnotified: true });
		expect(c.notification).toBeNull();
		expect(stepRule(cfg, c.state, value(10), 62_000).notification).toMatchObject({ from: 'firing', to: 'normal' });
	});

	it('no data while silenced: the end is announced with the state it is in', () => {
		const a = stepRule(base, INITIAL_STATE, value(90), 0);
		const b = stepRule(base, a.state, { kind: 'nodata' }, 1000, silenced);
		expect(b.state).toMatchObject({ state: 'nodata', unnotified: true });
		expect(stepRule(base, b.state, { kind: 'nodata' }, 2000).notification).toMatchObject({ from: 'firing', to: 'nodata' });
	});

	it('a rule disabled or deleted with its end owed, or while silenced after a sent [firing], sends the resolved then', () => {
		const owed = endedWhileSilenced().state;
		const r = endRule(owed, 2000, 'rule deleted by ana');
		expect(r.transition).toBeNull();
		expect(r.notification).toEqual({ from: 'firing', to: 'normal', at: 2000, value: 10, reason: 'rule deleted by ana' });
		const firing = stepRule(base, INITIAL_STATE, value(90), 0).state;
		expect(endRule(firing, 1000, 'rule disabled by ana').notification).toMatchObject({ from: 'firing', to: 'normal' });
	});

	it('customer rules (enterState) follow the same rule', () => {
		const a = enterState(INITIAL_STATE, 'firing', 3, '3 customers match', 0);
		const b = enterState(a.state, 'normal', 0, '0 customers match', 1000, silenced);
		expect(b.notification).toBeNull();
		const c = enterState(b.state, 'normal', 0, '0 customers match', 2000);
		expect(c.notification).toMatchObject({ from: 'firing', to: 'normal', reason: 'silence ended' });
	});
});
