import { describe, expect, it } from 'vitest';
import { incompleteDateMessage, isIncompleteDate } from './incomplete-date';

const input = (value: string, badInput: boolean) => ({ value, validity: { badInput } });

describe('a date input the browser cannot read', () => {
	it('is told from an empty one by badInput alone (both answer value "")', () => {
		expect(isIncompleteDate(input('', true))).toBe(true);
		expect(isIncompleteDate(input('', false))).toBe(false);
		expect(isIncompleteDate(input('2026-02-28', false))).toBe(false);
		// Not rendered yet: nothing typed.
		expect(isIncompleteDate(undefined)).toBe(false);
	});

	it('says what to type and what clearing the field does', () => {
		expect(incompleteDateMessage('no limit')).toBe('Not a complete date: type day, month and year, or clear the field for no limit');
	});
});
