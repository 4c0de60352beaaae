// What the Overview and a metric page say while a new window or filter loads (choice-loader.svelte.ts):
// a 30-day window takes a few seconds, and the controls gave no sign that the click was taken.
import { isWindowId, WINDOW_LABELS } from '$lib/shared/format';

export interface PendingChoice {
	name: string;
	value: string;
}

/** "loading 7 d…", "loading channel app…", "loading all segments…"; '' when nothing loads. */
export function loadingText(p: PendingChoice | null): string {
	if (!p) return '';
	if (p.name === 'window') return `loading ${isWindowId(p.value) ? WINDOW_LABELS[p.value] : p.value}…`;
	return p.value
		? `loading ${p.name} ${p.value}…`
		: `loading all ${p.name === 'channel' ? 'channels' : 'segments'}…`;
}

/** The window whose button shows pressed: the one chosen at once, before its tiles arrive. */
export function pressedWindow(p: PendingChoice | null, loaded: string): string {
	return p?.name === 'window' ? p.value : loaded;
}
