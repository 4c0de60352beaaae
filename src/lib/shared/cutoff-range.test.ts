import { describe, expect, it } from 'vitest';
import { lastDayBefore, cutoffRange, lastObservedDayMs, longestHorizonDays, validationCutoffText } from './cutoff-range';

const at = (iso: string) => Date.parse(iso);

describe('cutoffRange', () => {
	it('Online Retail (a finished history): its documented cutoff 2011-09-09 is the latest for 91 days', () => {
		// First invoice 2010-12-01 08:26, last 2011-12-09 12:50; the last day counts: the data is over.
		const r = cutoffRange({ firstEventMs: at('2010-12-01T08:26:00Z'), lastEventMs: at('2011-12-09T12:50:00Z'), nowMs: at('2026-12-07T12:00:00Z'), horizonDays: 91 });
		// Earliest: first + 28 days of history + 28-day step + 91 days − 1 day = 2011-04-26 08:26, so the 27th.
		expect(r).toEqual({ earliest: '2011-04-27', latest: '2011-09-09' });
	});

	it('training fits at the cutoff itself, so its cutoffs start a horizon earlier than a backtest\'s', () => {
		const span = { firstEventMs: at('2010-12-01T08:26:00Z'), lastEventMs: at('2011-12-09T12:50:00Z'), nowMs: at('2026-12-07T12:00:00Z') };
		// first + 28 days of history + 28-day step − 1 day = 2011-01-25 08:26, so the 26th; the latest is the backtest's.
		expect(cutoffRange({ ...span, horizonDays: 91, use: 'train' })).toEqual({ earliest: '2011-01-26', latest: '2011-09-09' });
		expect(longestHorizonDays({ ...span, use: 'train' })).toBeGreaterThan(longestHorizonDays(span));
	});

	it('a live system: today is not over, so the judged window ends with yesterday', () => {
		const live = { firstEventMs: at('2026-06-10T00:00:00Z'), lastEventMs: at('2026-12-07T00:53:00Z'), nowMs: at('2026-12-07T01:10:00Z') };
		expect(new Date(lastObservedDayMs(live.lastEventMs, live.nowMs)).toISOString()).toBe('2026-12-06T00:00:00.000Z');
		// 2026-11-07 would judge 2026-11-08 … 2026-12-07, a day still going on.
		expect(cutoffRange({ ...live, horizonDays: 30 })).toEqual({ earliest: '2026-09-03', latest: '2026-11-06' });
		// The same history read the next day counts 2026-12-07 too.
		expect(cutoffRange({ ...live, nowMs: at('2026-12-08T09:00:00Z'), horizonDays: 30 })?.latest).toBe('2026-11-07');
	});

	it('a short horizon steps its snapshots by the horizon; too short a history has no cutoff', () => {
		// 7 days: 28 + 7 + 7 − 1 = 41 days after the first event (at midnight: that day itself).
		expect(cutoffRange({ firstEventMs: at('2026-01-01T00:00:00Z'), lastEventMs: at('2026-03-31T10:00:00Z'), nowMs: at('2026-06-01T00:00:00Z'), horizonDays: 7 })).toEqual({ earliest: '2026-02-11', latest: '2026-03-24' });
		expect(cutoffRange({ firstEventMs: at('2026-01-01T00:00:00Z'), lastEventMs: at('2026-03-31T10:00:00Z'), nowMs: at('2026-06-01T00:00:00Z'), horizonDays: 40 })).toBeNull();
	});

	it('names the longest horizon a history allows', () => {
		const span = { firstEventMs: at('2026-01-01T00:00:00Z'), lastEventMs: at('2026-03-31T10:00:00Z'), nowMs: at('2026-06-01T00:00:00Z') };
		const h = longestHorizonDays(span);
		expect(cutoffRange({ ...span, horizonDays: h })).not.toBeNull();
		expect(cutoffRange({ ...span, horizonDays: h + 1 })).toBeNull();
		// Under 28 days the snapshots step by the horizon: 27 + 2H days after the first event ≤ 89 − H days → H ≤ 20.
		expect(h).toBe(20);
	});
});

describe('lastDayBefore', () => {
	it('names an as-of instant by the last day its features include, the day a backtest or --cutoff takes', () => {
		// Training at --cutoff 2026-11-06 fits at 2026-11-07T00:00Z (features before it): the same split.
		expect(lastDayBefore('2026-11-07T00:00:00.000Z')).toBe('2026-11-06');
		expect(lastDayBefore(Date.parse('2027-01-01T00:00:00Z'))).toBe('2026-12-31');
		// An instant within a day (an older version's as-of): that day's events before it are in.
		expect(lastDayBefore('2026-11-07T12:30:00.000Z')).toBe('2026-11-07');
		expect(validationCutoffText('2026-11-07T00:00:00.000Z')).toBe('validation cutoff 2026-11-06 (features up to that day)');
	});
});
