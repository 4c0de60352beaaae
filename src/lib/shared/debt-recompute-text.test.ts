import { describe, expect, it } from 'vitest';
import { debtRecomputeText } from './debt-recompute-text';

const at = '2026-12-07T12:00:00.000Z';

describe('debtRecomputeText', () => {
	it.each([
		[{ state: 'running', segments: ['vip'], done: 1200, total: 5000 }, 'Recomputing experience debt (segment vip): 1,200 of 5,000 customers'],
		[{ state: 'running', segments: null, done: 0, total: null }, 'Recomputing experience debt (every segment): counting customers…'],
		[{ state: 'done', segments: ['a', 'b'], done: 5000, total: 5000 }, 'Experience debt recomputed with the saved settings for 5,000 customers (segments a, b).'],
		[
			{ state: 'failed', segments: null, done: 2000, total: 5000, message: 'disk full' },
			'Recomputing experience debt (every segment) failed after 2,000 customers: disk full. Save again, or run npm run cx -- recompute-debt.'
		]
	] as const)('%o', (p, want) => {
		expect(debtRecomputeText({ message: null, at, ...p, segments: p.segments ? [...p.segments] : null })).toBe(want);
	});
});
