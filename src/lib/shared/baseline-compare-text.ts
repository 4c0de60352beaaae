// A trained version's validation figures against the better of its two baselines, in one line: the end
// of a training run on the Models page says it (and `cx train` can print the same words).

export interface RankingFigures {
	auc: number;
	pr_auc: number;
}

const BASELINE_NAMES = { recency: 'recency', rfm_logistic: 'RFM' } as const;

/**
 * "validation ROC-AUC 0.742 vs best baseline 0.735 (RFM); PR-AUC 0.612 vs 0.598 (recency)": each figure
 * against the baseline that does best on it (they can differ), to `digits` decimals.
 */
export function againstBestBaseline(model: RankingFigures, baselines: Record<keyof typeof BASELINE_NAMES, RankingFigures>, digits = 3): string {
	const best = (key: keyof RankingFigures) => {
		const r = baselines.recency[key];
		const f = baselines.rfm_logistic[key];
		return f >= r ? { name: BASELINE_NAMES.rfm_logistic, value: f } : { name: BASELINE_NAMES.recency, value: r };
	};
	const auc = best('auc');
	const pr = best('pr_auc');
	return (
		`validation ROC-AUC ${model.auc.toFixed(digits)} vs best baseline ${auc.value.toFixed(digits)} (${auc.name}); ` +
		`PR-AUC ${model.pr_auc.toFixed(digits)} vs ${pr.value.toFixed(digits)} (${pr.name})`
	);
}
