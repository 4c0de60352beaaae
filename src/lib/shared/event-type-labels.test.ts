import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from './events';
import { eventTypeName, eventTypePlural } from './event-type-labels';

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

describe('eventTypeName', () => {
	it('names one event of every standard type in words, as the plurals do', () => {
		for (const t of EVENT_TYPES) {
			expect(eventTypeName(t), t).not.toMatch(/_/);
			expect(eventTypePlural(t).startsWith(eventTypeName(t).split(' ')[0].replace(/y$/, '')), t).toBe(true);
		}
		expect(eventTypeName('survey_nps')).toBe('NPS survey');
		expect(eventTypeName('support_opened')).toBe('support ticket opened');
		expect(eventTypeName('signup')).toBe('sign-up');
	});

	it('keeps a custom type as its sender named it', () => {
		expect(eventTypeName('x-trial_extended')).toBe('x-trial_extended');
		expect(eventTypeName('toString')).toBe('toString');
	});
});
