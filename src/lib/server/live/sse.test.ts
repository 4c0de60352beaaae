import { describe, expect, it } from 'vitest';
import { LiveHub } from './hub';
import { createSseResponse } from './sse';

const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

describe('createSseResponse', () => {
	it('replays what a client missed, then streams live, and unsubscribes on cancel or abort', async () => {
		const hub = new LiveHub();
		const seen = hub.publish('heartbeat', { at: 'a', version: 1 });
		hub.publish('heartbeat', { at: 'b', version: 2 });
		let released = 0;
		const abort = new AbortController();
		const res = createSseResponse({ hub, lastEventId: seen.id, signal: abort.signal, onOpen: () => () => (released += 1) });
		expect(res.headers.get('x-accel-buffering')).toBe('no');
		const reader = res.body!.getReader();
		expect(text((await reader.read()).value)).toBe('retry: 2000\n\n');
		expect(text((await reader.read()).value)).toContain('"at":"b"');
		expect(hub.subscriberCount).toBe(1);
		await reader.read(); // connect-time heartbeat
		hub.publish('heartbeat', { at: 'c', version: 3 });
		expect(text((await reader.read()).value)).toContain('"at":"c"');
		await reader.cancel();
		expect(hub.subscriberCount).toBe(0);
		expect(released).toBe(1);

		const abort2 = new AbortController();
		createSseResponse({ hub, lastEventId: null, signal: abort2.signal, onOpen: () => () => (released += 1) });
		expect(hub.subscriberCount).toBe(1);
		abort2.abort();
		expect(hub.subscriberCount).toBe(0);
		expect(released).toBe(2);
		abort.abort();
	});
});
