import { describe, expect, it } from 'vitest';
import { chance, when } from './format';

describe('when', () => {
	it('shows an ISO timestamp to the minute in UTC, and a dash for none', () => {
		expect(when('2026-12-05T09:41:59.123Z')).toBe('2026-12-05 09:41 UTC');
		expect(when('2026-12-05T09:41:00')).toBe('2026-12-05 09:41 UTC');
		expect(when(null)).toBe('—');
		expect(when(undefined)).toBe('—');
	});
});

describe('chance', () => {
	it('rounds to whole percent but never shows a model as certain', () => {
		expect([0, 0.004, 0.01, 0.4449, 0.5, 0.99, 0.9951, 0.99999, 1].map(chance)).toEqual([
			'0 %',
			'< 1 %',
			'1 %',
			'44 %',
			'50 %',
			'99 %',
			'> 99 %',
			'> 99 %',
			'100 %'
		]);
	});
});
