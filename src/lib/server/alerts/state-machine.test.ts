import { describe, expect, it } from 'vitest';
import {
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
		out.push({ state: s.state, notify: r.notify });
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
			{ state: 'pending', since: 0, lastValue: 90 },
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
