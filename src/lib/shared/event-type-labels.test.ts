import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from './events';
import { eventTypePlural } from './event-type-labels';

describe('eventTypePlural', () => {
	it('names every standard type in words, without the schema code', () => {
		for (const t of EVENT_TYPES) expect(eventTypePlural(t), t).not.toMatch(/_|\bevents$/);
		expect(eventTypePlural('survey_nps')).toBe('NPS surveys');
		expect(eventTypePlural('support_reopened')).toBe('support tickets reopened');
	});

	it('keeps custom types and the catch-all readable', () => {
		expect(eventTypePlural('x-trial_extended')).toBe('x-trial_extended events');
		expect(eventTypePlural('(other)')).toBe('other events');
		expect(eventTypePlural('toString')).toBe('toString events');
	});
});
