// What the live status line (Overview and walls) says. "Live" is a claim about the figures, not only
// about the connection: after a server restart the stream is open seconds before its first tiles, and
// the figures on screen are still those from before the outage.
import type { LiveStatus } from '$lib/live-client';

export type LiveView = 'live' | 'waiting' | 'outage' | 'signed-out' | 'refused' | 'connecting';

/** Seconds without any message before a reconnecting stream counts as an outage. */
export const OUTAGE_AFTER_S = 20;

/**
 * `ageS`: seconds since the last message (or since the figures were computed, before the first one).
 * `signedOut`: this browser's session ended (a wall has its own screen for that, so it never passes it).
 */
export function liveView(status: LiveStatus, ageS: number, signedOut: boolean): LiveView {
	if (status.state === 'open') return status.tilesSinceConnect ? 'live' : 'waiting';
	if (status.state === 'stalled' || (status.state !== 'closed' && status.state !== 'unauthorized' && ageS > OUTAGE_AFTER_S)) return 'outage';
	if (status.state === 'unauthorized') return signedOut ? 'signed-out' : 'refused';
	return 'connecting';
}

/** The `data-live-state` a page shows: the stream's state, but `waiting` while open over old figures. */
export function liveStateAttr(status: LiveStatus): string {
	return status.state === 'open' && !status.tilesSinceConnect ? 'waiting' : status.state;
}
