import { describe, expect, it } from 'vitest';
import { fewLabelsWarnings, MIN_CLASS_SIZE } from './few-labels';

describe('fewLabelsWarnings', () => {
	it('warns about 6 churners of 4,598 (a 7-day horizon on the demo world), with what to change', () => {
		expect(fewLabelsWarnings(4598, 6)).toEqual([
			'only 6 churned customers in the label window: too few for the goal verdict to mean much; use a longer horizon or an earlier cutoff'
		]);
	});

	it('warns when nearly everyone churned, and is quiet from 30 customers in each class', () => {
		expect(fewLabelsWarnings(1_000, 999)).toEqual([
			'only 1 customer did not churn in the label window: too few for the goal verdict to mean much; use a shorter horizon'
		]);
		expect(fewLabelsWarnings(2 * MIN_CLASS_SIZE, MIN_CLASS_SIZE)).toEqual([]);
		expect(fewLabelsWarnings(20, 10)).toHaveLength(2);
	});
});
