import { describe, expect, it } from 'vitest';
import { liftCurve, prCurve, rocCurve } from './curves';

// scores 0.9 0.8 0.7 0.6 with labels 1 0 1 0: by hand
// after 0.9: tp1 fp0 → tpr .5 fpr 0; after 0.8: tp1 fp1 → .5/.5; after 0.7: tp2 fp1 → 1/.5; after 0.6: 1/1.
const scores = [0.9, 0.8, 0.7, 0.6];
const labels = [1, 0, 1, 0];

describe('curves', () => {
	it('ROC starts at the origin and walks the thresholds', () => {
		expect(rocCurve(scores, labels)).toEqual([
			{ fpr: 0, tpr: 0 },
			{ fpr: 0, tpr: 0.5 },
			{ fpr: 0.5, tpr: 0.5 },
			{ fpr: 0.5, tpr: 1 },
			{ fpr: 1, tpr: 1 }
		]);
	});

	it('PR gives recall and precision after each threshold', () => {
		expect(prCurve(scores, labels)).toEqual([
			{ recall: 0.5, precision: 1 },
			{ recall: 0.5, precision: 0.5 },
			{ recall: 1, precision: 0.6667 },
			{ recall: 1, precision: 0.5 }
		]);
	});

	it('tied scores move together', () => {
		expect(rocCurve([0.5, 0.5], [1, 0])).toEqual([
			{ fpr: 0, tpr: 0 },
			{ fpr: 1, tpr: 1 }
		]);
	});

	it('lift is the top fraction churn rate over the base rate', () => {
		// base rate 0.5; top 25 % (1 customer) all churned → lift 2; top 50 %: 1 of 2 → 1; all → 1
		const l = liftCurve(scores, labels, 0.25);
		expect(l).toEqual([
			{ fraction: 0.25, lift: 2 },
			{ fraction: 0.5, lift: 1 },
			{ fraction: 0.75, lift: 1.3333 },
			{ fraction: 1, lift: 1 }
		]);
	});

	it('thins long curves to the point budget, keeping both ends', () => {
		const n = 1000;
		const s = Array.from({ length: n }, (_, i) => i / n);
		const y = s.map((_, i) => (i % 3 === 0 ? 1 : 0));
		const roc = rocCurve(s, y, 20);
		expect(roc).toHaveLength(20);
		expect(roc[0]).toEqual({ fpr: 0, tpr: 0 });
		expect(roc[19]).toEqual({ fpr: 1, tpr: 1 });
	});

	it('has no curve without both classes', () => {
		expect(rocCurve([0.1, 0.2], [0, 0])).toEqual([]);
		expect(prCurve([0.1, 0.2], [0, 0])).toEqual([]);
		// Before the first churner precision is undefined: no (0, 0) point when the top score is not one.
		expect(prCurve([0.9, 0.8], [0, 1])).toEqual([{ recall: 1, precision: 0.5 }]);
		expect(liftCurve([0.1, 0.2], [0, 0])).toEqual([]);
	});
});
