import { describe, expect, it } from 'vitest';
import { chance } from './format';
import { describeBands } from './risk-bands-text';

describe('risk bands in words', () => {
	it('bands set from validation customers say which share each holds', () => {
		expect(describeBands({ medium: 0.0812, high: 0.1417, validation_share: { medium: 0.3, high: 0.1 } })).toBe(
			'high from 14.2 %, medium from 8.1 % churn probability: the riskiest 10 % and the next 20 % of the validation customers'
		);
	});
	it("says a bound as a customer's score at the bound is shown", () => {
		const high = 0.16138;
		expect(describeBands({ medium: 0.086, high })).toContain(`high from ${chance(high)},`);
		expect(chance(high)).toBe('16.1 %');
	});
	it('fixed bands say so', () => {
		expect(describeBands({ medium: 0.3, high: 0.6 })).toBe(
			'high from 60.0 %, medium from 30.0 % churn probability: fixed bands (a version trained before bands were set from its validation customers)'
		);
	});
});
