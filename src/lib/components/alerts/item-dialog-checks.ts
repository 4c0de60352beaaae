// What the work list's snooze and resolve dialogs check before sending, so that a person gets the error at
// the field in the field's own words (hours, an outcome) instead of the browser's bubble or a request that
// should not be sent.
import { MAX_SNOOZE_DAYS } from '$lib/shared/snooze-limit';

/** The snooze dialog's bounds, in hours (its field's unit); the API's limit is MAX_SNOOZE_DAYS. */
export const MIN_SNOOZE_HOURS = 1;
export const MAX_SNOOZE_HOURS = MAX_SNOOZE_DAYS * 24;

const RANGE = `${MIN_SNOOZE_HOURS} to ${MAX_SNOOZE_HOURS.toLocaleString('en-GB')} hours (${MAX_SNOOZE_DAYS} days)`;

/**
 * Null for a valid snooze length, else the field's error. `hours` is a number input's value: null (or NaN)
 * when it is empty or not a number. Fractions are fine (1.5 hours): the API takes any time.
 */
export function snoozeHoursError(hours: number | null | undefined): string | null {
	if (hours === null || hours === undefined || !Number.isFinite(hours)) return `Enter how long to snooze for: ${RANGE}`;
	if (hours < MIN_SNOOZE_HOURS || hours > MAX_SNOOZE_HOURS) return `Snooze for ${RANGE}`;
	return null;
}

/** When the item comes back, or null when the length is not valid (no preview of a time that cannot be). */
export function snoozeUntil(hours: number | null | undefined, now: number): Date | null {
	return snoozeHoursError(hours) === null ? new Date(now + (hours as number) * 3_600_000) : null;
}

/**
 * Null once an outcome is chosen. None is chosen at first: outcomes label the model's evaluation (do
 * interventions work?), and a preselected one was sent by whoever only pressed Enter.
 */
export function outcomeError(outcome: string | null): string | null {
	return outcome ? null : 'Choose an outcome: what happened with this customer';
}
