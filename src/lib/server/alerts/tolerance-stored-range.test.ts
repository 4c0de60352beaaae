import { describe, expect, it } from 'vitest';
import { DEFAULT_TOLERANCE } from './tolerance-defaults';
import { storedOutOfRange } from './tolerance-stored-range';

describe('storedOutOfRange', () => {
	it('names each stored value out of range at its form field, readable however large', () => {
		const bad = {
			...DEFAULT_TOLERANCE,
			limit: 2_000_000,
			halfLifeDays: 0,
			weights: { ...DEFAULT_TOLERANCE.weights, complaint: 1e19, praise: -1e308 }
		};
		expect(storedOutOfRange([{ segment: '*', settings: DEFAULT_TOLERANCE }, { segment: 'vip', settings: bad }])).toEqual({
			vip: {
				limit: 'stored value 2,000,000 must be more than 0 and at most 1,000,000 points: save a value in range',
				halfLifeDays: 'stored value 0 must be more than 0 and at most 3,650 days: save a value in range',
				'weights.complaint': 'stored value 1e19 must be from -1,000 to 1,000 points: save a value in range',
				'weights.praise': 'stored value -1e308 must be from -1,000 to 1,000 points: save a value in range'
			}
		});
	});

	it('leaves out segments whose values are all in range', () => {
		expect(storedOutOfRange([{ segment: '*', settings: DEFAULT_TOLERANCE }])).toEqual({});
	});
});
