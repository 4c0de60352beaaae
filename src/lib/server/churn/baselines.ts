// The two baselines every model is compared with, computed on the same split:
// recency (score = days since last activity) and an RFM logistic regression.
import { staticColumns } from './features';
import { fitLogistic, predictLogistic, type LogisticModel } from './logistic';
import type { RawSnapshot } from './snapshot';

export interface FittedBaselines {
	/** Platt map of log1p(recency days) to a probability (ranking = recency itself). */
	recency: LogisticModel;
	rfm: { names: string[]; mean: number[]; std: number[]; model: LogisticModel };
}

export interface BaselineScores {
	/** Ranking score and probability per customer. */
	recency: { score: Float64Array; prob: Float64Array };
	rfm_logistic: { score: Float64Array; prob: Float64Array };
}

/** R, F and M on log scales (heavy tails), standardized before the fit. */
const RFM = ['log_recency_days', 'log_activity_events', 'log_monetary'];

function rfmRows(raw: RawSnapshot, types: readonly string[]): number[][] {
	const cols = staticColumns(raw, types, RFM);
	return raw.ids.map((_, i) => cols.map((c) => c[i]));
}

function labelsOf(raws: RawSnapshot[]): number[] {
	return raws.flatMap((r) => {
		if (!r.labels) throw new Error('baselines need labelled snapshots');
		return Array.from(r.labels);
	});
}

export function fitBaselines(raws: RawSnapshot[], types: readonly string[]): FittedBaselines {
	const y = labelsOf(raws);
	const rows = raws.flatMap((r) => rfmRows(r, types));
	const recency = fitLogistic(rows.map((r) => [r[0]]), y);
	const mean = RFM.map((_, j) => rows.reduce((s, r) => s + r[j], 0) / Math.max(1, rows.length));
	const std = RFM.map((_, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / Math.max(1, rows.length)) || 1);
	const model = fitLogistic(rows.map((r) => r.map((v, j) => (v - mean[j]) / std[j])), y);
	return { recency, rfm: { names: RFM, mean, std, model } };
}

export function scoreBaselines(b: FittedBaselines, raw: RawSnapshot, types: readonly string[]): BaselineScores {
	const rows = rfmRows(raw, types);
	const recScore = Float64Array.from(rows, (r) => Math.expm1(r[0]));
	const recProb = Float64Array.from(rows, (r) => predictLogistic(b.recency, [r[0]]));
	const rfmProb = Float64Array.from(rows, (r) => predictLogistic(b.rfm.model, r.map((v, j) => (v - b.rfm.mean[j]) / b.rfm.std[j])));
	return { recency: { score: recScore, prob: recProb }, rfm_logistic: { score: rfmProb, prob: rfmProb } };
}
