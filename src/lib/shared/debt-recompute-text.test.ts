import { describe, expect, it } from 'vitest';
import { debtRecomputeAnnouncement, debtRecomputeText } from './debt-recompute-text';
import type { DebtRecomputePayload } from './live-events';

const at = '2026-12-07T13:27:05.000Z';
const frame = (p: Partial<DebtRecomputePayload>): DebtRecomputePayload => ({
	state: 'running',
	segments: ['vip'],
	done: 0,
	total: null,
	message: null,
	restarted: false,
	waiting: [],
	at,
	...p
});

describe('debtRecomputeText', () => {
	it.each([
		[{ done: 1200, total: 5000 }, 'Recomputing experience debt (segment vip): 1,200 of 5,000 customers.'],
		[{ segments: null }, 'Recomputing experience debt (every segment): counting customers…'],
		[
			{ state: 'done', segments: ['a', 'b'], done: 5000, total: 5000 },
			'Experience debt recomputed with the saved settings for 5,000 customers (segments a, b) at 13:27 UTC.'
		],
		[
			{ state: 'failed', segments: null, done: 2000, total: 5000, message: 'disk full' },
			'Recomputing experience debt (every segment) failed after 2,000 customers: disk full. Save again, or run npm run cx -- recompute-debt.'
		],
		[
			{ segments: null, done: 1000, total: 5000, restarted: true, waiting: ['vip'] },
			'Saved again: starting over with the newest settings. Recomputing experience debt (every segment): 1,000 of 5,000 customers. Segment vip: waiting.'
		],
		[
			{ done: 10, total: 10, state: 'done', waiting: ['*'] },
			'Experience debt recomputed with the saved settings for 10 customers (segment vip) at 13:27 UTC. Every segment: waiting.'
		]
	] as [Partial<DebtRecomputePayload>, string][])('%o', (p, want) => {
		expect(debtRecomputeText(frame(p))).toBe(want);
	});
});

describe('debtRecomputeAnnouncement', () => {
	it('announces the start, a restart, a failure and the end, not each step', () => {
		const start = frame({});
		const steps = [1000, 2000, 3000].map((done) => frame({ done, total: 5000 }));
		const again = frame({ done: 1000, total: 5000, restarted: true });
		const later = frame({ done: 2000, total: 5000, restarted: true });
		const end = frame({ state: 'done', done: 5000, total: 5000 });
		const said = [start, ...steps, again, later, end].map((p, i, all) => debtRecomputeAnnouncement(all[i - 1] ?? null, p));
		expect(said).toEqual([
			'Recomputing experience debt (segment vip) started.',
			null,
			null,
			null,
			'Saved again: recomputing experience debt (segment vip) starts over with the newest settings.',
			null,
			'Experience debt recomputed with the saved settings for 5,000 customers (segment vip) at 13:27 UTC.'
		]);
		expect(debtRecomputeAnnouncement(steps[0], frame({ state: 'failed', message: 'disk full' }))).toMatch(/failed after 0 customers: disk full/);
		// The next segment's run after one ended is a new start.
		expect(debtRecomputeAnnouncement(end, frame({ segments: null }))).toBe('Recomputing experience debt (every segment) started.');
	});
});
