import { describe, expect, it } from 'vitest';
import { chance, deltaTone, formatDelta } from './format';

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

describe('formatDelta and deltaTone', () => {
	it('sign the change and name better or worse by the metric direction', () => {
		expect(formatDelta(2.34, 'percent')).toBe('+2.3 pp');
		expect(formatDelta(-7, 'score')).toBe('−7 pts');
		expect(deltaTone(2.34, 'up', 'percent')).toBe('good');
		expect(deltaTone(2.34, 'down', 'percent')).toBe('bad');
		expect(formatDelta(null, 'percent')).toBe('no previous data');
	});

	it('call a change that rounds to nothing flat, not "+0 pp (worse)"', () => {
		expect(formatDelta(0.004, 'percent')).toBe('±0 pp');
		expect(formatDelta(-0.3, 'score')).toBe('±0 pts');
		expect(deltaTone(0.004, 'down', 'percent')).toBe('flat');
		expect(deltaTone(-0.3, 'up', 'score')).toBe('flat');
		expect(deltaTone(0.004, 'down')).toBe('bad');
	});
});
