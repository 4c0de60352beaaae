import { describe, expect, it } from 'vitest';
import { againstBestBaseline } from './baseline-compare-text';

const figures = (auc: number, pr_auc: number) => ({ auc, pr_auc });

describe('a version against its best baseline', () => {
	it('takes, for each figure, the baseline that does best on it', () => {
		expect(againstBestBaseline(figures(0.7421, 0.6123), { recency: figures(0.7, 0.5984), rfm_logistic: figures(0.7354, 0.58) })).toBe(
			'validation ROC-AUC 0.742 vs best baseline 0.735 (RFM); PR-AUC 0.612 vs 0.598 (recency)'
		);
	});

	it('prints 4 decimals where asked (the command line’s)', () => {
		expect(againstBestBaseline(figures(0.74216, 0.6), { recency: figures(0.75, 0.61), rfm_logistic: figures(0.7, 0.62) }, 4)).toBe(
			'validation ROC-AUC 0.7422 vs best baseline 0.7500 (recency); PR-AUC 0.6000 vs 0.6200 (RFM)'
		);
	});
});
