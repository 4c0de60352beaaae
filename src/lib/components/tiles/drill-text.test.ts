import { describe, expect, it } from 'vitest';
import { axisTitle, breakdownLimit, chartThresholds, scopeText, seriesCaption, thresholdsText } from './drill-text';

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

	it('says an at-risk point is the metric at that moment, all channels under a channel filter, and why there is no line yet', () => {
		expect(seriesCaption({ kind: 'moments', stepMs: 3_600_000, allChannels: false }, '24h', 'At-risk customers')).toBe(
			"Each point: At-risk customers as it read at that moment, from the churn scores then, one every 1 h; the last is the tile's value."
		);
		expect(seriesCaption({ kind: 'moments', stepMs: 3_600_000, allChannels: true }, '24h', 'At-risk customers')).toMatch(
			/ All channels: a churn score belongs to a customer, not to one of their channels\.$/
		);
		const when = (iso: string) => `<${iso}>`;
		expect(seriesCaption({ kind: 'awaiting', stepMs: 3_600_000, recordedFrom: '2026-12-07T20:00:00.000Z' }, '24h', 'At-risk customers', { when })).toBe(
			"No line yet: churn scores are recorded from <2026-12-07T20:00:00.000Z>, and the line starts once there are two points (one every 1 h, the last being the tile's value)."
		);
		expect(seriesCaption({ kind: 'awaiting', stepMs: 86_400_000, recordedFrom: null }, '30d', 'At-risk revenue', { segment: 'vip' })).toBe(
			"No line yet: no churn scores are recorded in segment vip yet, and the line starts once there are two points (one every 1 d, the last being the tile's value)."
		);
	});

	it('titles the value axis with what it counts where the ticks do not say it', () => {
		expect(axisTitle('at_risk_customers')).toBe('customers');
		expect(axisTitle('at_risk_revenue')).toBe('£ a month');
		expect(axisTitle('csat')).toBeNull();
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
