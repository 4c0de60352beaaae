import { describe, expect, it } from 'vitest';
import { addContributions, belowLimitAt, debtAt, decayDebt } from './debt';
import { debtSeries } from '../customers/profile-debt';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

describe('decayDebt', () => {
	it.each([
		{ debt: 40, days: 0, half: 30, want: 40 },
		{ debt: 40, days: 30, half: 30, want: 20 },
		{ debt: 40, days: 60, half: 30, want: 10 },
		{ debt: 40, days: 7, half: 7, want: 20 },
		{ debt: 40, days: -5, half: 30, want: 40 },
		{ debt: 0, days: 100, half: 30, want: 0 }
	])('$debt points after $days days (half-life $half) = $want', ({ debt, days, half, want }) => {
		expect(decayDebt(debt, T0, T0 + days * DAY, half)).toBeCloseTo(want, 9);
	});

	it('rejects a non-positive half-life', () => {
		expect(() => decayDebt(1, T0, T0 + DAY, 0)).toThrow(/half-life/);
	});
});

describe('addContributions', () => {
	it.each([
		{ name: 'first contribution', state: null, adds: [{ d: 0, p: 10 }], want: 10, atDay: 0 },
		{
			name: 'two at once',
			state: null,
			adds: [
				{ d: 0, p: 10 },
				{ d: 0, p: 15 }
			],
			want: 25,
			atDay: 0
		},
		{
			name: 'older one decays to the newest time',
			state: null,
			adds: [
				{ d: 0, p: 10 },
				{ d: 30, p: 10 }
			],
			want: 15,
			atDay: 30
		},
		{
			name: 'existing debt decays first',
			state: { debt: 40, d: 0 },
			adds: [{ d: 30, p: 5 }],
			want: 25,
			atDay: 30
		},
		{
			name: 'late event older than the state',
			state: { debt: 40, d: 30 },
			adds: [{ d: 0, p: 10 }],
			want: 45,
			atDay: 30
		},
		{
			name: 'good experience pays back',
			state: { debt: 20, d: 0 },
			adds: [{ d: 0, p: -6 }],
			want: 14,
			atDay: 0
		},
		{ name: 'never below zero', state: { debt: 3, d: 0 }, adds: [{ d: 0, p: -6 }], want: 0, atDay: 0 }
	])('$name', ({ state, adds, want, atDay }) => {
		const s = state ? { debt: state.debt, at: T0 + state.d * DAY } : null;
		const r = addContributions(
			s,
			adds.map((a) => ({ at: T0 + a.d * DAY, points: a.p })),
			30
		);
		expect(r.debt).toBeCloseTo(want, 9);
		expect(r.at).toBe(T0 + atDay * DAY);
	});

	it('does not depend on arrival order (while debt stays positive)', () => {
		const cs = [
			{ at: T0, points: 10 },
			{ at: T0 + 3 * DAY, points: 15 },
			{ at: T0 + 9 * DAY, points: -4 }
		];
		const together = addContributions(null, cs, 30);
		const oneByOne = [cs[1], cs[2], cs[0]].reduce<ReturnType<typeof addContributions> | null>(
			(s, c) => addContributions(s, [c], 30),
			null
		);
		expect(oneByOne!.debt).toBeCloseTo(together.debt, 9);
		expect(oneByOne!.at).toBe(together.at);
	});
});

describe('addContributions in time order', () => {
	const c = (d: number, points: number) => ({ at: T0 + d * DAY, points });

	it('takes contributions one at a time, so a payback before a bad experience cannot cancel it', () => {
		// Summed at once (the rule before) this was 5·0.98 − 10·0.99 + 8 ≈ 3: the praise "banked" credit.
		const r = addContributions(null, [c(2, 8), c(0, 5), c(1, -10)], 30);
		expect(r.debt).toBeCloseTo(8, 9);
		expect(r.at).toBe(T0 + 2 * DAY);
	});

	it('says when the limit was crossed: the contribution that took it over, not the last one', () => {
		// 4 → 4·0.5^(5/30) + 4 = 7.56 at day 5 (crossed 7), still 7.39 ≥ 7 before the +1 of day 6.
		const r = addContributions(null, [c(0, 4), c(5, 4), c(6, 1)], 30, 7);
		expect(r.debt).toBeCloseTo(7.564 * Math.pow(0.5, 1 / 30) + 1, 2);
		expect(r.crossedAt).toBe(T0 + 5 * DAY);
	});

	it('counts a second crossing after the debt decayed below the limit in between', () => {
		// At day 20 the 7.56 of day 5 has decayed to 5.35 < 7; the +3 takes it over again.
		expect(addContributions(null, [c(0, 4), c(5, 4), c(20, 3)], 30, 7).crossedAt).toBe(T0 + 20 * DAY);
	});

	it('has no crossing when the debt stays under the limit or was over it already', () => {
		expect(addContributions(null, [c(0, 4)], 30, 7).crossedAt).toBeNull();
		expect(addContributions({ debt: 20, at: T0 }, [c(1, 2)], 30, 7).crossedAt).toBeNull();
	});

	it('agrees with the chart of the customer page (debtSeries) at the last contribution', () => {
		const cs = [c(0, 12), c(3, -15), c(4, 9), c(9, -2), c(9, 6), c(30, -20), c(31, 4)];
		const series = debtSeries(cs, 30, T0 + 31 * DAY);
		expect(addContributions(null, cs, 30).debt).toBeCloseTo(series[series.length - 1].debt, 9);
	});
});

describe('debtAt and belowLimitAt', () => {
	it('decays to now', () => {
		expect(debtAt({ debt: 80, at: T0 }, T0 + 60 * DAY, 30)).toBeCloseTo(20, 9);
	});
	it('says when debt falls below the limit', () => {
		expect(belowLimitAt({ debt: 80, at: T0 }, 40, 30)).toBeCloseTo(T0 + 30 * DAY, 0);
		expect(belowLimitAt({ debt: 39, at: T0 }, 40, 30)).toBeNull();
	});
});
