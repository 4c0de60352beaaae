import { describe, expect, it } from 'vitest';
import { bandsFromValidation, DEFAULT_BANDS, riskBand, savedBands, scoringBands } from './risk-bands';

describe('risk bands set from validation scores', () => {
	it('high starts at the riskiest 10 %, medium at the riskiest 30 %', () => {
		// 100 customers with probabilities 0.001 … 0.100: the top ten are 0.091 … 0.100.
		const prob = Array.from({ length: 100 }, (_, i) => (i + 1) / 1000);
		const b = bandsFromValidation(prob);
		expect(b.high).toBeCloseTo(0.091, 12);
		expect(b.medium).toBeCloseTo(0.071, 12);
		expect(b.validation_share).toEqual({ high: 0.1, medium: 0.3 });
		const bands = prob.map((p) => riskBand(p, b));
		expect(bands.filter((x) => x === 'high')).toHaveLength(10);
		expect(bands.filter((x) => x === 'medium')).toHaveLength(20);
	});

	it('a low base rate still has a high band (no probability near the fixed 60 %)', () => {
		const prob = Array.from({ length: 4500 }, (_, i) => 0.01 + 0.3 * (i / 4500) ** 3);
		const b = bandsFromValidation(prob);
		expect(b.high).toBeLessThan(DEFAULT_BANDS.high);
		expect(prob.filter((p) => riskBand(p, b) === 'high').length).toBe(450);
	});

	it('ties at a bound go into the band, and the share says so', () => {
		const prob = [...Array(85).fill(0.1), ...Array(15).fill(0.5)];
		const b = bandsFromValidation(prob);
		expect(b.high).toBe(0.5);
		expect(b.validation_share?.high).toBe(0.15);
	});

	it('keeps the fixed bands when the scores cannot tell bands apart', () => {
		expect(bandsFromValidation(Array(50).fill(0.2))).toEqual(DEFAULT_BANDS);
		expect(bandsFromValidation([0.9, 0.5, 0.1])).toEqual(DEFAULT_BANDS);
		expect(bandsFromValidation([...Array(99).fill(0), 0.4])).toEqual(DEFAULT_BANDS);
	});

	it('reads saved bands defensively: both bounds or nothing, the share only when whole', () => {
		const share = { medium: 0.3, high: 0.1 };
		expect(savedBands({ medium: 0.08, high: 0.16, validation_share: share })).toEqual({ medium: 0.08, high: 0.16, validation_share: share });
		expect(savedBands({ medium: 0.3, high: 0.6 })).toEqual(DEFAULT_BANDS);
		expect(savedBands({ medium: 0.08, high: 0.16, validation_share: { high: 0.1 } })).toEqual({ medium: 0.08, high: 0.16 });
		expect(savedBands({ high: 0.6 })).toBeNull();
		expect(savedBands('0.6')).toBeNull();
		expect(savedBands(undefined)).toBeNull();
	});

	it('scores with the saved bands, or the fixed ones when a version has none (a bound missing is none)', () => {
		const saved = { medium: 0.08, high: 0.16 };
		expect(scoringBands(saved)).toEqual(saved);
		for (const none of [undefined, null, { high: 0.2 }, { medium: 'x', high: 0.2 }]) expect(scoringBands(none)).toEqual(DEFAULT_BANDS);
		expect(riskBand(0.5, scoringBands({ high: 0.2 }))).toBe('medium');
	});
});
