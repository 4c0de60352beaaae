import { describe, expect, it } from 'vitest';
import { binShares, populationStabilityIndex, psiFromShares, quantileEdges } from './drift-psi';

const oneToTen = Array.from({ length: 10 }, (_, i) => i + 1);

describe('population stability index', () => {
	it('cuts the reference into deciles', () => {
		expect(quantileEdges(oneToTen)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(binShares(oneToTen, quantileEdges(oneToTen))).toEqual(new Array(10).fill(0.1));
	});

	it('is zero for the same distribution', () => {
		expect(populationStabilityIndex(oneToTen, [...oneToTen, ...oneToTen]).psi).toBeCloseTo(0, 12);
	});

	it('matches a hand-computed value', () => {
		// Bins 0.15 and 0.05 instead of 0.10: 0.05·ln 1.5 + 0.05·ln 2 = 0.0549306.
		const current = [1, 1, 1, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10];
		const r = populationStabilityIndex(oneToTen, current);
		expect(r.current[0]).toBeCloseTo(0.15, 12);
		expect(r.current[1]).toBeCloseTo(0.05, 12);
		expect(r.psi).toBeCloseTo(0.05 * Math.log(1.5) + 0.05 * Math.log(2), 12);
		expect(r.psi).toBeCloseTo(0.0549306, 6);
	});

	it('floors empty bins so a shift gives a large finite index', () => {
		// Everything lands in the top bin: 0.9·ln 10 + 9·(1e-4 − 0.1)·ln(1e-4 / 0.1).
		const r = populationStabilityIndex(oneToTen, [50, 60, 70]);
		const expected = (1 - 0.1) * Math.log(1 / 0.1) + 9 * (1e-4 - 0.1) * Math.log(1e-4 / 0.1);
		expect(r.psi).toBeCloseTo(expected, 9);
		expect(r.psi).toBeGreaterThan(0.2);
	});

	it('merges tied quantiles of a binary feature into two bins', () => {
		const ref = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1];
		expect(quantileEdges(ref)).toEqual([0]);
		const r = populationStabilityIndex(ref, [0, 0, 1, 1]);
		expect(r.reference).toEqual([0.6, 0.4]);
		expect(r.psi).toBeCloseTo((0.5 - 0.6) * Math.log(0.5 / 0.6) + (0.5 - 0.4) * Math.log(0.5 / 0.4), 12);
	});

	it('refuses bins that do not line up', () => {
		expect(() => psiFromShares([0.5, 0.5], [1])).toThrow(/same bins/);
	});
});
