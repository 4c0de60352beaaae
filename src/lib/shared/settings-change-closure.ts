// A tolerance item the alert loop closed because a tolerance settings save, or the removal of its segment's
// own settings, took its customer under the limit (alerts/work-item-settings-change.ts), in words: its root
// cause in the list, its history line.
// Shared: the server writes the root cause, the work list words the history from the stored detail.
import { points } from './format';

/** '*' is the row every segment without its own settings uses (the Settings page's "Every other segment (*)"). */
export function settingsSegmentWords(segment: string): string {
	return segment === '*' ? 'every other segment (*)' : segment;
}

export function settingsChangeRootCause(segment: string): string {
	return `tolerance settings for ${settingsSegmentWords(segment)} changed`;
}

/** The segment's own settings were removed: its customers are judged by '*' since. */
export function settingsRemovalRootCause(segment: string): string {
	return `tolerance settings for ${settingsSegmentWords(segment)} removed`;
}

const pts = (v: unknown): string | null => (typeof v === 'number' && Number.isFinite(v) ? `${points(v)} pts` : null);

/**
 * "closed by the system: debt now 3.9 pts, under the limit of 23 pts, after tolerance settings for vip were
 * changed" ("were removed" after a removal): the item's reason still quotes the debt it was opened with, so
 * the line says what it is now.
 */
export function settingsChangeClosureText(detail: Record<string, unknown>): string {
	const segment = typeof detail.settings_segment === 'string' ? detail.settings_segment : null;
	const debt = pts(detail.debt);
	const limit = pts(detail.limit);
	const now = debt && limit ? `debt now ${debt}, under the limit of ${limit}, ` : '';
	const what = segment === null ? 'tolerance settings' : `tolerance settings for ${settingsSegmentWords(segment)}`;
	return `closed by the system: ${now}after ${what} were ${detail.settings_removed === true ? 'removed' : 'changed'}`;
}
