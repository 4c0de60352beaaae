import { describe, expect, it } from 'vitest';
import { toleranceDebtText } from './item-debt';

describe('toleranceDebtText', () => {
	it('says the debt now first, then the one the item opened with; units on both', () => {
		expect(toleranceDebtText({ debt: 31, limit: 23 }, 12.4, 23)).toBe('debt 12.4 pts now (31 at opening), limit 23 pts');
		expect(toleranceDebtText({ debt: 31, limit: 23 }, 1234.5, 23)).toBe('debt 1,234.5 pts now (31 at opening), limit 23 pts');
	});

	it('gives the limit at opening only when it is not the limit now', () => {
		expect(toleranceDebtText({ debt: 31, limit: 23 }, 12, 30)).toBe('debt 12 pts now (31 at opening), limit 30 pts (23 at opening)');
	});

	it('leaves out what the item did not record, and words nothing without a debt now (other reasons)', () => {
		expect(toleranceDebtText({ debt: null, limit: 23 }, 0, 23)).toBe('debt 0 pts now, limit 23 pts');
		expect(toleranceDebtText(null, 5, null)).toBe('debt 5 pts now');
		expect(toleranceDebtText({ probability: 0.8 }, null, null)).toBeNull();
	});
});
