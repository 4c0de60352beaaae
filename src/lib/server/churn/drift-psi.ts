// Population stability index (PSI): how far a current distribution has moved from a reference one.
// Bins are the reference's deciles, so each reference bin holds about 10 % of the rows; empty bins
// are floored at EPS so one empty bin gives a large but finite index.
export const PSI_BINS = 10;
export const PSI_WARNING = 0.2;
const EPS = 1e-4;

/** Inner cut points (at most bins − 1, ascending, no duplicates) from the reference's quantiles. */
export function quantileEdges(reference: ArrayLike<number>, bins = PSI_BINS): number[] {
	const sorted = Float64Array.from(reference).sort();
	const n = sorted.length;
	if (n === 0) return [];
	const edges: number[] = [];
	for (let k = 1; k < bins; k++) {
		const e = sorted[Math.ceil((k * n) / bins) - 1];
		// Ties (binary or heavily repeated features) collapse bins instead of making empty ones.
		if (e < sorted[n - 1] && (edges.length === 0 || e > edges[edges.length - 1])) edges.push(e);
	}
	return edges;
}

/** Share of values in each bin: bin k holds (edges[k−1], edges[k]]; the last bin everything above. */
export function binShares(values: ArrayLike<number>, edges: readonly number[]): number[] {
	const counts = new Array<number>(edges.length + 1).fill(0);
	for (let i = 0; i < values.length; i++) {
		const x = values[i];
		let lo = 0;
		let hi = edges.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (x <= edges[mid]) hi = mid;
			else lo = mid + 1;
		}
		counts[lo]++;
	}
	const n = Math.max(1, values.length);
	return counts.map((c) => c / n);
}

/** Σ (current − reference) · ln(current / reference) over bins. */
export function psiFromShares(reference: readonly number[], current: readonly number[]): number {
	if (reference.length !== current.length) throw new Error(`PSI needs the same bins (${reference.length} vs ${current.length})`);
	let s = 0;
	for (let k = 0; k < reference.length; k++) {
		const r = Math.max(EPS, reference[k]);
		const c = Math.max(EPS, current[k]);
		s += (c - r) * Math.log(c / r);
	}
	return s;
}

export interface PsiResult {
	psi: number;
	edges: number[];
	reference: number[];
	current: number[];
}

export function populationStabilityIndex(reference: ArrayLike<number>, current: ArrayLike<number>, bins = PSI_BINS): PsiResult {
	const edges = quantileEdges(reference, bins);
	const ref = binShares(reference, edges);
	const cur = binShares(current, edges);
	return { psi: psiFromShares(ref, cur), edges, reference: ref, current: cur };
}
