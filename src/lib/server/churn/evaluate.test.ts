import { describe, expect, it } from 'vitest';
import { averagePrecision, brier, confusionAt, expectedCalibrationError, liftAt, reliabilityCurve, rocAuc } from './evaluate';

// Six customers; churned ones score 0.9, 0.7, 0.6 and the others 0.8, 0.55, 0.4.
const scores = [0.9, 0.8, 0.7, 0.6, 0.55, 0.4];
const labels = [1, 0, 1, 1, 0, 0];

describe('churn metrics against hand-computed values', () => {
	it('ROC-AUC counts correctly ordered pairs (7 of 9) and halves ties', () => {
		expect(rocAuc(scores, labels)).toBeCloseTo(7 / 9, 10);
		expect(rocAuc([0.5, 0.5], [1, 0])).toBe(0.5);
		expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN();
	});

	it('average precision is the mean precision at each churned customer', () => {
		expect(averagePrecision(scores, labels)).toBeCloseTo((1 + 2 / 3 + 3 / 4) / 3, 10);
		// A tie of one positive and one negative at the top: precision 1/2 at recall 1.
		expect(averagePrecision([0.5, 0.5], [1, 0])).toBeCloseTo(0.5, 10);
	});

	it('Brier is the mean squared error of the probabilities', () => {
		expect(brier([0.9, 0.2], [1, 0])).toBeCloseTo((0.01 + 0.04) / 2, 12);
	});

	it('ECE weights each bin gap by its share of customers', () => {
		const p = [0.05, 0.15, 0.95, 0.95];
		const y = [0, 1, 1, 0];
		expect(expectedCalibrationError(p, y)).toBeCloseTo((0.05 + 0.85 + 2 * 0.45) / 4, 10);
		const curve = reliabilityCurve(p, y);
		expect(curve).toHaveLength(10);
		expect(curve[9]).toMatchObject({ n: 2, fraction_positive: 0.5 });
		expect(curve[9].mean_predicted).toBeCloseTo(0.95, 10);
		expect(curve[5]).toMatchObject({ n: 0, mean_predicted: null });
	});

	it('lift at 10 % compares the top decile with the overall churn rate', () => {
		const s = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
		const y = [1, 0, 0, 1, 0, 1, 0, 0, 1, 0];
		expect(liftAt(s, y, 0.1)).toBeCloseTo(1 / (4 / 10), 10);
		expect(liftAt(s, [0, 1, 0, 1, 0, 1, 0, 0, 1, 0], 0.1)).toBe(0);
	});

	it('confusion at the operating threshold', () => {
		expect(confusionAt([0.9, 0.6, 0.4, 0.1], [1, 0, 1, 0], 0.5)).toEqual({ threshold: 0.5, tp: 1, fp: 1, tn: 1, fn: 1 });
	});
});
