import { describe, expect, it } from 'vitest';
import { prPoints } from './curve-points';

describe('prPoints', () => {
	it('starts the precision–recall curve at its first real point, not at (recall 0, precision 0)', () => {
		const recorded = [
			{ recall: 0, precision: 0 },
			{ recall: 0, precision: 0 },
			{ recall: 0.25, precision: 0.5 },
			{ recall: 1, precision: 0.2 }
		];
		expect(prPoints(recorded)).toEqual([
			{ x: 0.25, y: 0.5 },
			{ x: 1, y: 0.2 }
		]);
	});

	it('keeps a curve that starts where a churner is found, and a conventional (0, 1) start', () => {
		expect(prPoints([{ recall: 0.1, precision: 1 }, { recall: 1, precision: 0.3 }])).toHaveLength(2);
		expect(prPoints([{ recall: 0, precision: 1 }, { recall: 1, precision: 0.3 }])[0]).toEqual({ x: 0, y: 1 });
		expect(prPoints([{ recall: 0, precision: 0 }])).toEqual([]);
	});
});
