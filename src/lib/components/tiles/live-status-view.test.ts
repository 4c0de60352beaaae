import { describe, expect, it } from 'vitest';
import { connectingStatus, type LiveStatus } from '$lib/live-client';
import { liveStateAttr, liveView } from './live-status-view';

const status = (patch: Partial<LiveStatus>): LiveStatus => ({ ...connectingStatus(), ...patch });

describe('the live status line', () => {
	it('says Live only once a tiles frame came on the current stream', () => {
		// Reconnected after a server restart: heartbeats flow, the figures are from before the outage.
		const back = status({ state: 'open', lastMessageAt: 1, connects: 2, tilesSinceConnect: false });
		expect(liveView(back, 1, false)).toBe('waiting');
		expect(liveStateAttr(back)).toBe('waiting');
		const fresh = { ...back, tilesSinceConnect: true };
		expect(liveView(fresh, 1, false)).toBe('live');
		expect(liveStateAttr(fresh)).toBe('open');
	});

	it('shows an outage when the stream stalls or a reconnect takes over 20 s', () => {
		expect(liveView(status({ state: 'stalled', tilesSinceConnect: true }), 0, false)).toBe('outage');
		expect(liveView(status({ state: 'connecting', connects: 1 }), 21, false)).toBe('outage');
		expect(liveView(status({ state: 'connecting', connects: 1 }), 5, false)).toBe('connecting');
		expect(liveView(status({ state: 'closed' }), 600, false)).toBe('connecting');
	});

	it('keeps saying the stream was refused however long ago its last message came', () => {
		// No retries follow a refusal: "reconnecting…" would be untrue.
		expect(liveView(status({ state: 'unauthorized' }), 600, true)).toBe('signed-out');
		expect(liveView(status({ state: 'unauthorized' }), 600, false)).toBe('refused');
		expect(liveStateAttr(status({ state: 'unauthorized' }))).toBe('unauthorized');
	});
});
