import { describe, expect, it } from 'vitest';
import { sparklinePaths } from './sparkline-paths';

const moves = (d: string) => d.match(/M[^M]*/g) ?? [];

describe('sparklinePaths', () => {
	it('draws a dot for each value without data on either side, and the trend where values touch', () => {
		// x = 2 + i * 49 for 5 points over 200 px; y spans 3 (highest) .. 37 (lowest) for height 40.
		const p = sparklinePaths([4, null, 2, 3, null], 200, 40)!;
		expect(moves(p.dots)).toEqual(['M2,3h0.01']);
		expect(moves(p.trend).length).toBe(2);
		expect(p.trend).toContain('M100,37L149,20');
	});

	it('needs two values for a trend; a series of isolated values is all dots', () => {
		expect(sparklinePaths([null, 5, null], 200, 40)).toBeNull();
		const p = sparklinePaths([1, null, 2, null, 3], 200, 40)!;
		expect(moves(p.dots)).toHaveLength(3);
	});

	it('has no dots and no bridges for a gapless series', () => {
		const p = sparklinePaths([1, 2, 3], 200, 40)!;
		expect(p.dots).toBe('');
		expect(p.bridges).toBe('');
		expect([p.filled, p.total]).toEqual([3, 3]);
	});

	it('bridges each gap between two values with one straight segment, value to value', () => {
		// A sparse day: values in bins 1, 4 and 5 of 7. x = 2 + i * 32.67; y: 6 → 3 (top), 2 → 37.
		const p = sparklinePaths([null, 6, null, null, 2, 4, null], 200, 40)!;
		expect(moves(p.bridges)).toHaveLength(1);
		const [from, to] = p.bridges
			.slice(1)
			.split('L')
			.map((pt) => pt.split(',').map(Number));
		expect(from[0]).toBeCloseTo(2 + 32.667, 2);
		expect(from[1]).toBe(3);
		expect(to[0]).toBeCloseTo(2 + 4 * 32.667, 2);
		expect(to[1]).toBe(37);
		// Nothing before the first value or after the last: no data is invented at the ends.
		expect(Math.min(from[0], to[0])).toBeGreaterThan(2);
		expect([p.filled, p.total]).toEqual([3, 7]);
	});

	it('a gap is not a drop to zero: a zero is a value on the solid line, a bridge never goes below its ends', () => {
		// 5, gap, gap, 5: a bridge level at 5. 5, 0, 0, 5: solid, down to the bottom of the scale.
		const gap = sparklinePaths([5, null, null, 5, 1], 200, 40)!;
		const ys = (d: string) => [...d.matchAll(/[ML][\d.]+,([\d.]+)/g)].map((m) => Number(m[1]));
		expect(new Set(ys(gap.bridges)).size).toBe(1);
		// The solid line only joins the neighbours 5, 1 (d3 writes the lone first 5 as "M2,3Z", drawing nothing).
		expect(moves(gap.trend).filter((m) => m.includes('L'))).toEqual(['M149,3L198,37']);
		const zero = sparklinePaths([5, 0, 0, 5, 1], 200, 40)!;
		expect(zero.bridges).toBe('');
		expect(Math.max(...ys(zero.trend))).toBe(37);
	});
});
