import { describe, expect, it } from 'vitest';
import { BUCKET_RELATIVE_ERROR, bucketOf, bucketValue, quantileOf } from './histogram';

describe('latency histogram', () => {
	it('represents every duration within the documented relative error', () => {
		for (let s = 1; s < 40 * 86400; s = s * 1.37 + 1) {
			const v = bucketValue(bucketOf(s));
			expect(Math.abs(v - s) / s).toBeLessThanOrEqual(BUCKET_RELATIVE_ERROR + 1e-9);
		}
		expect(BUCKET_RELATIVE_ERROR).toBeLessThan(0.045);
	});

	it('gives nearest-rank quantiles from counts', () => {
		const secs = [10, 20, 30, 40, 50, 60, 70, 80, 90, 3600];
		const h = new Map<number, number>();
		for (const s of secs) h.set(bucketOf(s), (h.get(bucketOf(s)) ?? 0) + 1);
		const p90 = quantileOf(h, 0.9)!;
		expect(Math.abs(p90 - 90) / 90).toBeLessThanOrEqual(BUCKET_RELATIVE_ERROR);
		const p50 = quantileOf(h, 0.5)!;
		expect(Math.abs(p50 - 50) / 50).toBeLessThanOrEqual(BUCKET_RELATIVE_ERROR);
		expect(quantileOf(new Map(), 0.5)).toBeNull();
	});
});
