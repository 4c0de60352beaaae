// Evaluation metrics of DESIGN §8. Scores: higher = more likely to churn; labels 1 = churned.

export interface ReliabilityBin {
	lo: number;
	hi: number;
	n: number;
	mean_predicted: number | null;
	fraction_positive: number | null;
}

export interface Confusion {
	threshold: number;
	tp: number;
	fp: number;
	tn: number;
	fn: number;
}

export interface Metrics {
	auc: number;
	pr_auc: number;
	brier: number;
	ece: number;
	lift_at_10: number;
	n: number;
	positives: number;
}

export interface FullMetrics extends Metrics {
	reliability: ReliabilityBin[];
	confusion: Confusion;
}

/** ROC-AUC as the Mann–Whitney statistic; tied scores count one half. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
	const n = scores.length;
	const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
	let pos = 0;
	let rankSumPos = 0;
	for (let i = 0; i < n; ) {
		let j = i;
		while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
		const avgRank = (i + j) / 2 + 1;
		for (let k = i; k <= j; k++) {
			if (labels[order[k]]) {
				pos++;
				rankSumPos += avgRank;
			}
		}
		i = j + 1;
	}
	const neg = n - pos;
	if (pos === 0 || neg === 0) return NaN;
	return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Average precision: Σ (R_k − R_{k−1}) · P_k over distinct score thresholds, highest first. */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
	const n = scores.length;
	const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
	let totalPos = 0;
	for (let i = 0; i < n; i++) if (labels[i]) totalPos++;
	if (totalPos === 0) return NaN;
	let tp = 0;
	let seen = 0;
	let ap = 0;
	for (let i = 0; i < n; ) {
		let j = i;
		let groupPos = 0;
		while (j < n && scores[order[j]] === scores[order[i]]) {
			if (labels[order[j]]) groupPos++;
			j++;
		}
		tp += groupPos;
		seen += j - i;
		ap += (groupPos / totalPos) * (tp / seen);
		i = j;
	}
	return ap;
}

export function brier(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
	let s = 0;
	for (let i = 0; i < probs.length; i++) s += (probs[i] - labels[i]) ** 2;
	return probs.length ? s / probs.length : NaN;
}

/** Equal-width bins on [0, 1]; p = 1 falls into the last bin. */
export function reliabilityCurve(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): ReliabilityBin[] {
	const n = new Array<number>(bins).fill(0);
	const sp = new Array<number>(bins).fill(0);
	const sy = new Array<number>(bins).fill(0);
	for (let i = 0; i < probs.length; i++) {
		const b = Math.min(bins - 1, Math.max(0, Math.floor(probs[i] * bins)));
		n[b]++;
		sp[b] += probs[i];
		sy[b] += labels[i];
	}
	return n.map((c, b) => ({
		lo: b / bins,
		hi: (b + 1) / bins,
		n: c,
		mean_predicted: c ? sp[b] / c : null,
		fraction_positive: c ? sy[b] / c : null
	}));
}

/** Expected calibration error: Σ_b (n_b / N) · |mean predicted_b − fraction positive_b|. */
export function expectedCalibrationError(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): number {
	const total = probs.length;
	if (!total) return NaN;
	return reliabilityCurve(probs, labels, bins).reduce(
		(acc, b) => (b.n ? acc + (b.n / total) * Math.abs(b.mean_predicted! - b.fraction_positive!) : acc),
		0
	);
}

/** Positive rate among the top `fraction` by score (ceil, ties by input order) ÷ overall positive rate. */
export function liftAt(scores: ArrayLike<number>, labels: ArrayLike<number>, fraction = 0.1): number {
	const n = scores.length;
	const k = Math.max(1, Math.ceil(n * fraction));
	const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
	let top = 0;
	let all = 0;
	for (let i = 0; i < n; i++) all += labels[i];
	for (let i = 0; i < k; i++) top += labels[order[i]];
	return all ? top / k / (all / n) : NaN;
}

export function confusionAt(probs: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): Confusion {
	const c: Confusion = { threshold, tp: 0, fp: 0, tn: 0, fn: 0 };
	for (let i = 0; i < probs.length; i++) {
		const p = probs[i] >= threshold;
		if (p && labels[i]) c.tp++;
		else if (p) c.fp++;
		else if (labels[i]) c.fn++;
		else c.tn++;
	}
	return c;
}

/** The threshold with the best F1 (used as the operating threshold, chosen on validation data). */
export function bestF1Threshold(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
	const candidates = [...new Set(Array.from(probs))].sort((a, b) => a - b);
	let best = 0.5;
	let bestF1 = -1;
	const step = Math.max(1, Math.floor(candidates.length / 200));
	for (let i = 0; i < candidates.length; i += step) {
		const c = confusionAt(probs, labels, candidates[i]);
		const f1 = (2 * c.tp) / (2 * c.tp + c.fp + c.fn || 1);
		if (f1 > bestF1) {
			bestF1 = f1;
			best = candidates[i];
		}
	}
	return best;
}

const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : x);

/** ranking scores for AUC/PR/lift; probabilities for Brier, ECE and the confusion matrix. */
export function evaluateScores(scores: ArrayLike<number>, probs: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): FullMetrics {
	let positives = 0;
	for (let i = 0; i < labels.length; i++) positives += labels[i];
	return {
		auc: round(rocAuc(scores, labels)),
		pr_auc: round(averagePrecision(scores, labels)),
		brier: round(brier(probs, labels)),
		ece: round(expectedCalibrationError(probs, labels)),
		lift_at_10: round(liftAt(scores, labels, 0.1)),
		n: labels.length,
		positives,
		reliability: reliabilityCurve(probs, labels).map((b) => ({
			...b,
			mean_predicted: b.mean_predicted === null ? null : round(b.mean_predicted),
			fraction_positive: b.fraction_positive === null ? null : round(b.fraction_positive)
		})),
		confusion: confusionAt(probs, labels, threshold)
	};
}
