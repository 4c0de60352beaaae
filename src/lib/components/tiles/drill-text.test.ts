import { describe, expect, it } from 'vitest';
import { breakdownLimit, chartThresholds, scopeText, seriesCaption, thresholdsText } from './drill-text';

describe('drill-down words', () => {
	it('names the filters a page and each breakdown are limited to', () => {
		const s = { channel: 'app', segment: 'vip' };
		expect(scopeText(s)).toBe('channel app, segment vip');
		expect(scopeText({ channel: null, segment: null })).toBeNull();
		expect(breakdownLimit('channel', s)).toBe('segment vip');
		expect(breakdownLimit('segment', s)).toBe('channel app');
		expect(breakdownLimit('segment', { channel: null, segment: 'vip' })).toBeNull();
	});

	it('says what one point of the chart is', () => {
		expect(seriesCaption({ kind: 'bins', binMs: 30 * 60_000 }, '24h', 'CSAT')).toBe(
			'Each point: CSAT over 30 min.'
		);
		expect(seriesCaption({ kind: 'trailing', stepMs: 86_400_000 }, '30d', 'Churn rate')).toBe(
			"Each point: Churn rate over the 30 d up to it, one every 1 d; the last is the tile's value."
		);
		expect(seriesCaption({ kind: 'none', note: 'a snapshot' }, '24h', 'At-risk revenue')).toBe('a snapshot');
	});

	const churn = { unit: 'percent' as const, direction: 'down' as const, thresholdWindow: '30d' as const };
	const t = { warn: 3, critical: 6 };

	it('shades thresholds set for another window nowhere, and at their own window as before', () => {
		expect(chartThresholds(t, '30d', '24h')).toBeNull();
		expect(chartThresholds(t, '30d', '1h')).toBeNull();
		expect(chartThresholds(t, '30d', '30d')).toEqual(t);
		// A metric judged at every window (CSAT) keeps its bands at every window.
		expect(chartThresholds({ warn: 80, critical: 70 }, null, '1h')).toEqual({ warn: 80, critical: 70 });
		expect(chartThresholds(null, null, '24h')).toBeNull();
	});

	it('says which window the thresholds were set for when the page shows another', () => {
		expect(thresholdsText(t, churn, '24h')).toBe(
			'Thresholds (set for 30 d, not applied at 24 h): warning at 3 %, critical at 6 % (lower is better).'
		);
		expect(thresholdsText(t, churn, '30d')).toBe(
			'Thresholds: warning at 3 %, critical at 6 % (lower is better).'
		);
		expect(
			thresholdsText(
				{ warn: 80, critical: 70 },
				{ unit: 'percent', direction: 'up', thresholdWindow: null },
				'1h'
			)
		).toBe('Thresholds: warning at 80 %, critical at 70 % (higher is better).');
		expect(thresholdsText(null, { unit: 'count', direction: 'up', thresholdWindow: null }, '24h')).toBeNull();
	});
});
