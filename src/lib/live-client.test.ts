// connectLive with a fake EventSource, fetch and clock: reconnects never leave two streams open.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectLive, type LiveStatus } from './live-client';

class FakeEventSource {
	static all: FakeEventSource[] = [];
	onerror: (() => void) | null = null;
	onopen: (() => void) | null = null;
	closed = false;
	private listeners = new Map<string, ((ev: MessageEvent<string>) => void)[]>();
	constructor(readonly url: string) {
		FakeEventSource.all.push(this);
	}
	addEventListener(name: string, fn: (ev: MessageEvent<string>) => void) {
		this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
	}
	emit(name: string, data: unknown, id = '') {
		for (const fn of this.listeners.get(name) ?? []) fn({ data: JSON.stringify(data), lastEventId: id } as MessageEvent<string>);
	}
	close() {
		this.closed = true;
	}
}

const open = () => FakeEventSource.all.filter((e) => !e.closed);
let probes: ((status: number) => void)[];

beforeEach(() => {
	vi.useFakeTimers();
	FakeEventSource.all = [];
	probes = [];
	vi.stubGlobal('EventSource', FakeEventSource);
	vi.stubGlobal('window', { location: { href: 'http://wall.test/wall/main' } });
	// The reconnect probe hangs until the test answers it (a network that drops packets silently).
	vi.stubGlobal('fetch', () => new Promise((resolve) => probes.push((status) => resolve({ status, body: null }))));
});
afterEach(() => {
	vi.useRealTimers();
	vi.unstubAllGlobals();
});

describe('connectLive', () => {
	it('an error and the stall watchdog during one pending probe reconnect once, leaving one stream open', async () => {
		const states: LiveStatus[] = [];
		const stop = connectLive('/api/v1/stream', {}, (s) => states.push(s), { stallMs: 20_000 });
		FakeEventSource.all[0].emit('heartbeat', { at: 'x', version: 1 }, 'b-1');
		await vi.advanceTimersByTimeAsync(16_000);
		FakeEventSource.all[0].onerror?.(); // the stream drops; the probe hangs
		await vi.advanceTimersByTimeAsync(6_000); // past the stall limit: the watchdog wants to reconnect too
		expect(probes).toHaveLength(1);
		probes[0](200);
		await vi.advanceTimersByTimeAsync(3_000);
		expect(FakeEventSource.all).toHaveLength(2);
		expect(open()).toHaveLength(1);
		expect(open()[0].url).toBe('/api/v1/stream?lastEventId=b-1');
		// A late error from the replaced stream does not tear down its successor.
		FakeEventSource.all[0].onerror?.();
		await vi.advanceTimersByTimeAsync(1_000);
		expect(probes).toHaveLength(1);
		expect(open()).toHaveLength(1);
		stop();
		expect(open()).toHaveLength(0);
		expect(states.at(-1)?.state).toBe('closed');
	});

	it('counts a reconnected stream as fresh only from its first tiles frame', async () => {
		const states: LiveStatus[] = [];
		connectLive('/api/v1/stream', {}, (s) => states.push(s));
		const first = FakeEventSource.all[0];
		first.onopen?.();
		first.emit('tiles', { sets: {} }, 'b-1');
		expect(states.at(-1)).toMatchObject({ state: 'open', connects: 1, tilesSinceConnect: true });
		first.onerror?.(); // the server restarts
		await vi.advanceTimersByTimeAsync(0);
		probes[0](200);
		await vi.advanceTimersByTimeAsync(3_000);
		const second = FakeEventSource.all[1];
		second.onopen?.();
		second.emit('heartbeat', { at: 'x', version: 1 }, 'c-1');
		expect(states.at(-1)).toMatchObject({ state: 'open', connects: 2, tilesSinceConnect: false });
		second.emit('tiles', { sets: {} }, 'c-2');
		expect(states.at(-1)).toMatchObject({ state: 'open', connects: 2, tilesSinceConnect: true });
	});

	it('a refused probe shows as unauthorized and stops retrying', async () => {
		const states: LiveStatus[] = [];
		connectLive('/api/v1/stream', {}, (s) => states.push(s));
		FakeEventSource.all[0].onerror?.();
		await vi.advanceTimersByTimeAsync(0);
		probes[0](401);
		await vi.advanceTimersByTimeAsync(60_000);
		expect(states.at(-1)?.state).toBe('unauthorized');
		expect(FakeEventSource.all).toHaveLength(1);
	});
});
