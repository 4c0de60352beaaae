// Logistic regression fitted by Newton's method (IRLS) with a small L2 penalty: used for the RFM
// baseline and for Platt calibration. Inputs are small (a handful of columns).

export interface LogisticModel {
	/** Intercept first, then one weight per column. */
	weights: number[];
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function solve(a: number[][], b: number[]): number[] {
	const n = b.length;
	const m = a.map((row, i) => [...row, b[i]]);
	for (let c = 0; c < n; c++) {
		let p = c;
		for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
		[m[c], m[p]] = [m[p], m[c]];
		const d = m[c][c] || 1e-12;
		for (let r = 0; r < n; r++) {
			if (r === c) continue;
			const f = m[r][c] / d;
			for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
		}
	}
	return m.map((row, i) => row[n] / (row[i] || 1e-12));
}

/** x: rows of features (already scaled), y: 0/1. */
export function fitLogistic(x: ArrayLike<number>[], y: ArrayLike<number>, l2 = 1e-4, iterations = 50): LogisticModel {
	const d = (x[0]?.length ?? 0) + 1;
	let w = new Array<number>(d).fill(0);
	for (let it = 0; it < iterations; it++) {
		const g = new Array<number>(d).fill(0);
		const h = Array.from({ length: d }, () => new Array<number>(d).fill(0));
		for (let i = 0; i < x.length; i++) {
			const row = [1, ...Array.from(x[i])];
			const p = sigmoid(row.reduce((s, v, k) => s + v * w[k], 0));
			const r = p * (1 - p) + 1e-9;
			for (let a = 0; a < d; a++) {
				g[a] += (p - y[i]) * row[a];
				for (let b = 0; b < d; b++) h[a][b] += r * row[a] * row[b];
			}
		}
		for (let a = 1; a < d; a++) {
			g[a] += l2 * x.length * w[a];
			h[a][a] += l2 * x.length;
		}
		const step = solve(h, g);
		w = w.map((v, k) => v - step[k]);
		if (Math.max(...step.map(Math.abs)) < 1e-8) break;
	}
	return { weights: w };
}

export function predictLogistic(m: LogisticModel, row: ArrayLike<number>): number {
	let z = m.weights[0];
	for (let k = 0; k < row.length; k++) z += m.weights[k + 1] * row[k];
	return sigmoid(z);
}
