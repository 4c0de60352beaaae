import { describe, expect, it } from 'vitest';
import { relabelReasons } from './reason-labels';

describe('relabelReasons', () => {
	it('names an event-type reason from its type, whatever label it was stored with', () => {
		expect(
			relabelReasons([
				{ kind: 'event_type', feature: 'survey_nps', label: 'survey nps events', delta: 0.052 },
				{ kind: 'event_type', feature: 'x-trial', label: 'x-trial events', delta: 0.0004 }
			])
		).toEqual([
			{ kind: 'event_type', feature: 'survey_nps', label: 'NPS surveys', delta: 0.052 },
			{ kind: 'event_type', feature: 'x-trial', label: 'x-trial events', delta: 0.0004 }
		]);
	});

	it('keeps other reasons as they were stored', () => {
		const others = [
			{ kind: 'recent_events', feature: 'last 3', label: 'the last 3 events', delta: 0.1 },
			{ kind: 'feature', feature: 'log_tenure_days', label: 'tenure, compared with a typical customer' },
			{ label: '3 complaints in 30 days', delta: 0.22 },
			'plain words',
			null
		];
		expect(relabelReasons(others)).toEqual(others);
	});
});
