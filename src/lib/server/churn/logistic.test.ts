import { describe, expect, it } from 'vitest';
import { applyCalibration, fitPlatt } from './calibrate';
import { fitLogistic, predictLogistic, sigmoid } from './logistic';

describe('logistic regression (IRLS)', () => {
	it('recovers the weights of the process that generated the labels', () => {
		// Expected labels instead of random draws: the maximum-likelihood fit is then exact.
		const x: number[][] = [];
		const y: number[] = [];
		for (let i = -20; i <= 20; i++) {
			const v = i / 5;
			const p = sigmoid(0.5 + 1.5 * v);
			for (let k = 0; k < 100; k++) {
				x.push([v]);
				y.push(k < Math.round(p * 100) ? 1 : 0);
			}
		}
		const m = fitLogistic(x, y, 0);
		expect(m.weights[0]).toBeCloseTo(0.5, 1);
		expect(m.weights[1]).toBeCloseTo(1.5, 1);
		expect(predictLogistic(m, [0])).toBeCloseTo(sigmoid(m.weights[0]), 12);
	});

	it('Platt scaling keeps the order and moves probabilities to the observed rate', () => {
		const raw = [0.9, 0.9, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1];
		const y = [1, 1, 0, 0, 0, 0, 0, 0];
		const c = fitPlatt(raw, y);
		const p = applyCalibration(c, raw);
		expect(p[0]).toBeCloseTo(0.5, 2);
		expect(p[4]).toBeLessThan(0.05);
	});
});
