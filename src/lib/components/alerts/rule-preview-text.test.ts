import { describe, expect, it } from 'vitest';
import { previewText } from './rule-preview-text';

describe('rule preview in words', () => {
	it('says how often the rule would have fired', () => {
		expect(previewText({ fired: 1, stepMinutes: 30, tooFew: 0, tooFewNote: null, samples: [] })).toBe(
			'Over the last 24 h this rule would have fired 1 time (checked every 30 min).'
		);
		expect(previewText({ fired: 3, stepMinutes: 30 })).toBe('Over the last 24 h this rule would have fired 3 times (checked every 30 min).');
	});

	it('says at how many checks a minimum sample left the value unjudged, and why', () => {
		const samples = Array.from({ length: 49 }, () => ({}));
		expect(previewText({ fired: 0, stepMinutes: 30, tooFew: 12, tooFewNote: 'too few to judge (8 CSAT ratings; 10 needed)', samples })).toBe(
			'Over the last 24 h this rule would have fired 0 times (checked every 30 min). At 12 of 49 checks it counted the value as no data: too few to judge (8 CSAT ratings; 10 needed) at the latest.'
		);
	});
});
