import { describe, expect, it } from 'vitest';
import { fitLabels, valueAxis } from './chart-axes';

describe('valueAxis', () => {
	it('ticks a duration axis at round hours from zero, every label in hours', () => {
		// The QA case: median first response 0.5–15 h with thresholds at 4 h and 8 h.
		const a = valueAxis([1800, 6 * 3600, 15 * 3600, 4 * 3600, 8 * 3600], 'seconds');
		expect(a.domain[0]).toBe(0);
		expect(a.ticks.map((t) => t / 3600)).toEqual([0, 5, 10, 15, 20]);
		expect(a.ticks.map(a.label)).toEqual(['0 h', '5 h', '10 h', '15 h', '20 h']);
		expect(a.ticks.every((t) => a.label(t).endsWith(' h'))).toBe(true);
		expect(a.domain[1]).toBeGreaterThanOrEqual(15 * 3600);
	});

	it('uses minutes under two hours and days from two days on', () => {
		const min = valueAxis([120, 50 * 60], 'seconds');
		expect(min.ticks.map(min.label)).toEqual([
			'0 min',
			'10 min',
			'20 min',
			'30 min',
			'40 min',
			'50 min',
			'60 min'
		]);
		const days = valueAxis([86_400, 5 * 86_400], 'seconds');
		expect(days.ticks.map(days.label)).toEqual(['0 d', '1 d', '2 d', '3 d', '4 d', '5 d', '6 d']);
	});

	it('never goes below zero for a metric that cannot, but does for NPS', () => {
		// Padding below the lowest value stops at zero.
		expect(valueAxis([0.5, 10], 'percent').domain[0]).toBe(0);
		expect(valueAxis([0, 3], 'count').domain[0]).toBe(0);
		expect(valueAxis([1800, 8 * 3600], 'seconds').domain[0]).toBe(0);
		expect(valueAxis([5, 20], 'score').domain[0]).toBeLessThan(5);
		expect(valueAxis([-30, 20], 'score').domain[0]).toBeLessThanOrEqual(-30);
		expect(valueAxis([96, 98], 'percent').domain[0]).toBeGreaterThan(90); // a narrow band is not squashed onto 0
		expect(valueAxis([0, 100, 80, 70], 'percent').domain).toEqual([0, 100]); // a share stops at 100 %
	});

	it('keeps NPS within −100…100 and a share within 0…100 %, after rounding the ends', () => {
		// One response per bin swings NPS from −100 to 100: the axis ran from −150 to 150.
		const nps = valueAxis([-100, 100, 9, 20, 0], 'score');
		expect(nps.domain).toEqual([-100, 100]);
		expect(Math.min(...nps.ticks)).toBeGreaterThanOrEqual(-100);
		expect(Math.max(...nps.ticks)).toBeLessThanOrEqual(100);
		// Rounding outwards (a step of 20 took 95 to 100, 99 could go to 120) stops at the bound too.
		expect(valueAxis([-97, 99], 'score').domain).toEqual([-100, 100]);
		expect(valueAxis([3, 99.5], 'percent').domain).toEqual([0, 100]);
		expect(valueAxis([10, 40], 'score').domain[1]).toBeLessThan(100); // a narrow band keeps its padding
	});

	it('ticks counts at whole numbers only', () => {
		const a = valueAxis([0, 1, 2], 'count');
		expect(a.ticks.every((t) => Number.isInteger(t))).toBe(true);
		expect(a.ticks.map(a.label)).toEqual(['0', '1', '2']);
	});

	it('gives a flat or nearly flat series ticks whose labels differ, within what the unit can take', () => {
		for (const [values, unit] of [
			[[0, 0], 'percent'],
			[[0.01, 0.03], 'percent'],
			[[100, 100], 'percent'],
			[[0, 0], 'score'],
			[[3, 3], 'days']
		] as const) {
			const a = valueAxis(values, unit);
			const labels = a.ticks.map(a.label);
			expect(new Set(labels).size, `${unit} ${values}: ${labels}`).toBe(labels.length);
			expect(labels.length, `${unit} ${values}`).toBeGreaterThan(2);
			expect(a.domain[0]).toBeLessThanOrEqual(Math.min(...values));
			expect(a.domain[1]).toBeGreaterThanOrEqual(Math.max(...values));
		}
		const flat = valueAxis([0, 0], 'percent');
		expect(flat.ticks.map(flat.label)).toEqual(['0 %', '0.1 %', '0.2 %', '0.3 %', '0.4 %', '0.5 %']);
		expect(valueAxis([100, 100], 'percent').domain[1]).toBe(100);
	});
});

describe('fitLabels', () => {
	it('keeps labels inside the chart: flush right at the right edge, left at the left edge, else centred', () => {
		const fit = fitLabels([10, 320, 630], ['2026-12-07 00:00', '2026-12-07 00:00', '2026-12-07 00:00'], 640);
		expect(fit.map((f) => f.anchor)).toEqual(['start', 'middle', 'end']);
		expect(fit.every((f) => f.show)).toBe(true);
	});

	it('leaves out a label that would run into the one before it', () => {
		// Ticks 55 px apart with 62 px labels, the last pushed left by the edge.
		const xs = [100, 170, 240, 295];
		const fit = fitLabels(
			xs,
			xs.map(() => '2026-12-05'),
			300
		);
		expect(fit.map((f) => f.show)).toEqual([true, true, true, false]);
		expect(fit[3].anchor).toBe('end');
	});
});
