import { describe, expect, it } from 'vitest';
import { scaleUtc } from 'd3';
import { timeTickLabels } from './time-tick-labels';

const ticks = (from: string, to: string, n: number) =>
	scaleUtc()
		.domain([new Date(from), new Date(to)])
		.ticks(n);

describe('timeTickLabels', () => {
	it('labels day ticks with dates', () => {
		expect(timeTickLabels(ticks('2026-11-01', '2026-12-06', 5))).toEqual([
			'2026-11-01',
			'2026-11-08',
			'2026-11-15',
			'2026-11-22',
			'2026-11-29',
			'2026-12-06'
		]);
	});

	it('labels ticks within one day with times, the date only on the first', () => {
		const labels = timeTickLabels(ticks('2026-12-06T08:10:00Z', '2026-12-06T16:40:00Z', 4));
		expect(labels).toEqual(['2026-12-06 09:00', '12:00', '15:00']);
		expect(new Set(labels).size).toBe(labels.length);
	});

	it('repeats the date where a day changes', () => {
		expect(timeTickLabels(ticks('2026-12-05T18:00:00Z', '2026-12-06T06:00:00Z', 4))).toEqual([
			'2026-12-05 18:00',
			'21:00',
			'2026-12-06 00:00',
			'03:00',
			'06:00'
		]);
	});
});

describe('timeTickLabels in a display zone', () => {
	it('labels the zone’s midnights with dates and other ticks with the zone’s times', () => {
		const ny = 'America/New_York';
		expect(timeTickLabels([new Date('2026-12-01T05:00:00Z'), new Date('2026-12-02T05:00:00Z')], ny)).toEqual(['2026-12-01', '2026-12-02']);
		expect(timeTickLabels([new Date('2026-12-06T03:00:00Z'), new Date('2026-12-06T06:00:00Z')], ny)).toEqual(['2026-12-05 22:00', '2026-12-06 01:00']);
		expect(timeTickLabels([new Date('2026-12-06T03:30:00Z')], 'Asia/Kolkata')).toEqual(['2026-12-06 09:00']);
	});
});
