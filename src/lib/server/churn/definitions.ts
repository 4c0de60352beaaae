// Shared constants and small types of the churn model (DESIGN §8).
import { CHANNELS, EVENT_TYPES } from '../../shared/events';

/** Events per customer sequence (the most recent N before the cutoff). */
export const SEQ_LEN = 64;
export const DAY_MS = 86_400_000;

export type ChurnDefinition = 'inactivity' | 'cancellation';
export type ChurnDefinitionOption = ChurnDefinition | 'auto';
export const CHURN_DEFINITIONS: readonly ChurnDefinitionOption[] = ['auto', 'inactivity', 'cancellation'];

/**
 * Types that do not show the customer is still engaged: the end of a contract, money going back and
 * what agents do.
 * Every other type counts as activity; for purchase-only data that means purchases.
 */
export const NON_ACTIVITY_TYPES = ['cancellation', 'refund', 'support_reply', 'support_solved'] as const;

/** The standard vocabulary; custom `x-…` types seen in training are appended (up to MAX_VOCAB). */
export const BASE_TYPES: readonly string[] = EVENT_TYPES;
export const BASE_CHANNELS: readonly string[] = CHANNELS;
export const MAX_VOCAB = 32;

/** Inclusive rating ranges used to scale ratings to 0..1 (other rated types fall back to 0..10). */
export const RATING_SCALE: Record<string, readonly [number, number]> = {
	survey_csat: [1, 5],
	survey_nps: [0, 10],
	survey_ces: [1, 7]
};

/** The exclusive end of "on or before day T": events with occurred_at < asOf are visible. */
export function asOfAfterDay(day: Date): Date {
	return new Date(day.getTime() + DAY_MS);
}

export function isoDay(d: Date): string {
	return d.toISOString().slice(0, 10);
}
