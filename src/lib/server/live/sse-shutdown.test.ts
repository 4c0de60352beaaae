// Its own file: endAllStreams marks the module as stopping for good.
import { describe, expect, it } from 'vitest';
import { LiveHub } from './hub';
import { createSseResponse, endAllStreams } from './sse';

const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

async function readAll(body: ReadableStream<Uint8Array>): Promise<string[]> {
	const out: string[] = [];
	const reader = body.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) return out;
		out.push(text(value));
	}
}

describe('endAllStreams', () => {
	it('ends every open stream and unsubscribes it; a stream asked for afterwards only says when to retry', async () => {
		const hub = new LiveHub();
		const signal = new AbortController().signal;
		let released = 0;
		const open = [1, 2].map(() => createSseResponse({ hub, lastEventId: null, signal, onOpen: () => () => (released += 1) }));
		expect(hub.subscriberCount).toBe(2);
		const reads = open.map((r) => readAll(r.body!));
		expect(endAllStreams()).toBe(2);
		for (const frames of await Promise.all(reads)) expect(frames[0]).toBe('retry: 2000\n\n');
		expect(hub.subscriberCount).toBe(0);
		expect(released).toBe(2);

		const late = createSseResponse({ hub, lastEventId: null, signal, retryMs: 500 });
		expect(await readAll(late.body!)).toEqual(['retry: 500\n\n']);
		expect(hub.subscriberCount).toBe(0);
		expect(endAllStreams()).toBe(0);
	});
});
