// Platt scaling: p = σ(a · logit(q) + b), fitted on the validation snapshot.
import { fitLogistic, predictLogistic, type LogisticModel } from './logistic';

export interface Calibration {
	method: 'platt';
	a: number;
	b: number;
}

const logit = (p: number) => {
	const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
	return Math.log(q / (1 - q));
};

export function fitPlatt(raw: ArrayLike<number>, labels: ArrayLike<number>): Calibration {
	const m = fitLogistic(Array.from(raw, (p) => [logit(p)]), labels, 1e-6);
	return { method: 'platt', a: m.weights[1], b: m.weights[0] };
}

export function applyCalibration(c: Calibration, raw: ArrayLike<number>): Float64Array {
	const m: LogisticModel = { weights: [c.b, c.a] };
	return Float64Array.from(raw, (p) => predictLogistic(m, [logit(p)]));
}
