import { describe, expect, it } from 'vitest';
import { reasonText } from './reason-text';

describe('reasonText', () => {
	it('shows the label as given, with its change in percentage points', () => {
		expect(reasonText({ kind: 'event_type', feature: 'survey_nps', label: 'NPS surveys', delta: 0.052 })).toBe('NPS surveys (+5.2 pp)');
		expect(reasonText({ kind: 'event_type', feature: 'x-trial', label: 'x-trial events', delta: 0.0004 })).toBe(
			'x-trial events (+0.04 pp)'
		);
	});

	it('keeps the stored label of other reasons', () => {
		expect(reasonText({ kind: 'recent_events', feature: 'last 3', label: 'the last 3 events', delta: 0.1 })).toBe(
			'the last 3 events (+10.0 pp)'
		);
		expect(reasonText({ kind: 'feature', feature: 'log_tenure_days', label: 'tenure, compared with a typical customer' })).toBe(
			'tenure, compared with a typical customer'
		);
		expect(reasonText('plain words')).toBe('plain words');
	});
});
