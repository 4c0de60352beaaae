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

	it('has no dots for a gapless series', () => {
		expect(sparklinePaths([1, 2, 3], 200, 40)?.dots).toBe('');
	});
});
