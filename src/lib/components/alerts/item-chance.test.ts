import { describe, expect, it } from 'vitest';
import { churnChanceText } from './item-chance';

describe('a churn item’s chance on the work list', () => {
	it('says the score now, and the opening one when it reads differently (QA: 16.2 % in Priority, 17.4 % in Reason)', () => {
		expect(churnChanceText({ probability: 0.1741 }, 0.1618)).toBe('P(churn) 16.2 % now (17.4 % at opening)');
	});
	it('leaves out the opening figure when it rounds to the same 0.1 %', () => {
		expect(churnChanceText({ probability: 0.16184 }, 0.1618)).toBe('P(churn) 16.2 % now');
		expect(churnChanceText({}, 0.1618)).toBe('P(churn) 16.2 % now');
		expect(churnChanceText(null, 0.1618)).toBe('P(churn) 16.2 % now');
	});
	it('rounds as the rest of the app does, no false certainty', () => {
		expect(churnChanceText({ probability: 0.9999 }, 0.5)).toBe('P(churn) 50.0 % now (> 99.9 % at opening)');
	});
	it('gives way to the stored detail when the list has no score now', () => {
		expect(churnChanceText({ probability: 0.17 }, null)).toBeNull();
	});
});
