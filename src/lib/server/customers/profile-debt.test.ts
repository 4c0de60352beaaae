import { describe, expect, it } from 'vitest';
import { debtSeries } from './profile-debt';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

describe('debtSeries', () => {
	it('steps up at each contribution and decays between them', () => {
		const s = debtSeries(
			[
				{ at: T0, points: 20 },
				{ at: T0 + 30 * DAY, points: 10 }
			],
			30,
			T0 + 60 * DAY,
			2
		);
		expect(s.map((p) => [(p.at - T0) / DAY, Math.round(p.debt * 100) / 100])).toEqual([
			[0, 0],
			[0, 20],
			[15, 14.14],
			[30, 10],
			[30, 20],
			[45, 14.14],
			[60, 10]
		]);
	});
	it('never goes below zero and is flat at zero without contributions', () => {
		expect(debtSeries([{ at: T0, points: -5 }], 30, T0, 2).map((p) => p.debt)).toEqual([0, 0]);
		expect(debtSeries([], 30, T0)).toEqual([{ at: T0, debt: 0 }]);
	});
});
