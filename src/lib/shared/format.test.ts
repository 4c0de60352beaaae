import { describe, expect, it } from 'vitest';
import { chance, deltaTone, formatDelta, points } from './format';

describe('chance', () => {
	it('rounds to 0.1 % but never shows a model as certain', () => {
		expect([0, 0.0004, 0.001, 0.004, 0.4449, 0.5, 0.999, 0.9995, 0.99999, 1].map(chance)).toEqual([
			'0 %',
			'< 0.1 %',
			'0.1 %',
			'0.4 %',
			'44.5 %',
			'50.0 %',
			'99.9 %',
			'> 99.9 %',
			'> 99.9 %',
			'100 %'
		]);
	});
	it('tells apart two scores that whole percents showed alike on either side of a band bound', () => {
		// The champion's high band started at 16.14 %: both read "16 %" before.
		expect([0.1586, 0.1614].map(chance)).toEqual(['15.9 %', '16.1 %']);
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

describe('points (experience debt and tolerance)', () => {
	it('reads to 0.1, as the README says: the customer page said 58.49 where the work list said 58.5', () => {
		expect(points(58.49)).toBe('58.5');
		expect(points(23)).toBe('23');
		expect(points(3.94)).toBe('3.9');
		expect(points(-2.25)).toBe('-2.3');
		expect(points(1234.56)).toBe('1,234.6');
	});
});
