import { describe, expect, it } from 'vitest';
import { breakdownLimit, scopeText, seriesCaption } from './drill-text';

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
});
