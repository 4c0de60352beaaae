// Curves recorded with a model (ROC, precision–recall, reliability, cumulative lift) so analysts can
// compare versions visually. Thinned to at most `maxPoints` points each: enough to draw, small on disk.
import { reliabilityCurve, type ReliabilityBin } from './evaluate';

export interface ModelCurves {
	roc: { fpr: number; tpr: number }[];
	pr: { recall: number; precision: number }[];
	reliability: ReliabilityBin[];
	/** Cumulative lift by fraction of customers targeted, highest risk first. */
	lift: { fraction: number; lift: number }[];
}

interface Step {
	k: number;
	tp: number;
}

/** Cumulative counts after each distinct score, highest score first (ties move together). */
function steps(
	scores: ArrayLike<number>,
	labels: ArrayLike<number>
): { steps: Step[]; pos: number; n: number } {
	const n = scores.length;
	const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
	const out: Step[] = [];
	let tp = 0;
	let pos = 0;
	for (let i = 0; i < n; i++) pos += labels[i] ? 1 : 0;
	for (let i = 0; i < n;) {
		let j = i;
		while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
		for (let k = i; k <= j; k++) tp += labels[order[k]] ? 1 : 0;
		out.push({ k: j + 1, tp });
		i = j + 1;
	}
	return { steps: out, pos, n };
}

function thin<T>(points: T[], maxPoints: number): T[] {
	if (points.length <= maxPoints) return points;
	const out: T[] = [];
	for (let i = 0; i < maxPoints; i++)
		out.push(points[Math.round((i * (points.length - 1)) / (maxPoints - 1))]);
	return out;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

export function rocCurve(
	scores: ArrayLike<number>,
	labels: ArrayLike<number>,
	maxPoints = 50
): ModelCurves['roc'] {
	const { steps: s, pos, n } = steps(scores, labels);
	const neg = n - pos;
	if (!pos || !neg) return [];
	const pts = [
		{ fpr: 0, tpr: 0 },
		...s.map((x) => ({ fpr: round((x.k - x.tp) / neg), tpr: round(x.tp / pos) }))
	];
	return thin(pts, maxPoints);
}

export function prCurve(
	scores: ArrayLike<number>,
	labels: ArrayLike<number>,
	maxPoints = 50
): ModelCurves['pr'] {
	const { steps: s, pos } = steps(scores, labels);
	if (!pos) return [];
	// Precision is undefined before the first churner is found; the (0, 0) points drew a spurious segment.
	return thin(
		s.filter((x) => x.tp > 0).map((x) => ({ recall: round(x.tp / pos), precision: round(x.tp / x.k) })),
		maxPoints
	);
}

/** Lift at fractions 5 %, 10 %, … 100 %: churn rate among the top fraction ÷ overall churn rate. */
export function liftCurve(
	scores: ArrayLike<number>,
	labels: ArrayLike<number>,
	step = 0.05
): ModelCurves['lift'] {
	const n = scores.length;
	const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
	let pos = 0;
	for (let i = 0; i < n; i++) pos += labels[i] ? 1 : 0;
	if (!n || !pos) return [];
	const base = pos / n;
	const out: ModelCurves['lift'] = [];
	for (let f = step; f <= 1 + 1e-9; f += step) {
		const k = Math.max(1, Math.round(f * n));
		let tp = 0;
		for (let i = 0; i < k; i++) tp += labels[order[i]] ? 1 : 0;
		out.push({ fraction: round(Math.min(1, f)), lift: round(tp / k / base) });
	}
	return out;
}

export function computeCurves(probs: ArrayLike<number>, labels: ArrayLike<number>): ModelCurves {
	return {
		roc: rocCurve(probs, labels),
		pr: prCurve(probs, labels),
		reliability: reliabilityCurve(probs, labels),
		lift: liftCurve(probs, labels)
	};
}
