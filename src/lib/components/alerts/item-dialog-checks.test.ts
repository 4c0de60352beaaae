import { describe, expect, it } from 'vitest';
import { MAX_SNOOZE_DAYS } from '$lib/server/alerts/work-item-actions';
import { MAX_SNOOZE_HOURS, outcomeError, snoozeHoursError, snoozeUntil } from './item-dialog-checks';

const NOW = Date.parse('2026-12-07T22:00:00Z');

describe('the snooze dialog’s length, in hours', () => {
	it('has the API’s bound', () => {
		expect(MAX_SNOOZE_HOURS).toBe(MAX_SNOOZE_DAYS * 24);
	});
	it('refuses what the API would, in hours, and previews nothing for it (QA: −5, 0, empty, 5000)', () => {
		for (const h of [-5, 0, 0.5, 2161, 5000]) {
			expect(snoozeHoursError(h)).toBe('Snooze for 1 to 2,160 hours (90 days)');
			expect(snoozeUntil(h, NOW)).toBeNull();
		}
		// An empty number input, or one whose text is not a number, has no value.
		for (const h of [null, undefined, Number.NaN]) {
			expect(snoozeHoursError(h)).toBe('Enter how long to snooze for: 1 to 2,160 hours (90 days)');
			expect(snoozeUntil(h, NOW)).toBeNull();
		}
	});
	it('takes 1 to 2,160 hours, fractions too, and says when the item comes back', () => {
		for (const h of [1, 1.5, 24, 2160]) expect(snoozeHoursError(h)).toBeNull();
		expect(snoozeUntil(24, NOW)?.toISOString()).toBe('2026-12-08T22:00:00.000Z');
		expect(snoozeUntil(1.5, NOW)?.toISOString()).toBe('2026-12-07T23:30:00.000Z');
	});
});

describe('the resolve dialog’s outcome', () => {
	it('must be chosen: nothing is chosen for the user', () => {
		expect(outcomeError(null)).toMatch(/^Choose an outcome/);
		expect(outcomeError('')).toMatch(/^Choose an outcome/);
		expect(outcomeError('retained')).toBeNull();
	});
});
