import { describe, expect, it } from 'vitest';
import { cancelledNotScoredText } from './not-scored-text';

describe('the customers a cancellation backtest does not score', () => {
	it('are counted as the page counts customers, one and none in words that fit them', () => {
		expect(cancelledNotScoredText(1204)).toBe(
			'1,204 customers who had cancelled by the cutoff are not scored (cancellation definition)'
		);
		expect(cancelledNotScoredText(1)).toBe(
			'1 customer who had cancelled by the cutoff is not scored (cancellation definition)'
		);
		expect(cancelledNotScoredText(0)).toBe(
			'0 customers had cancelled by the cutoff: none is left out (cancellation definition)'
		);
	});
});
