// Browser side of the live stream: typed handlers from the shared event map, reconnect with
// exponential backoff and resume (lastEventId), stall detection ("data is N s old"), and a clear
// 'unauthorized' state when the session or display token is no longer accepted.
import type { LiveEventMap, LiveEventName } from './shared/live-events';
import { LIVE_EVENT_NAMES } from './shared/live-events';
import { markSessionEnded } from './session-ended.svelte';

export type LiveState = 'connecting' | 'open' | 'stalled' | 'unauthorized' | 'closed';

export interface LiveStatus {
	state: LiveState;
	/** ms timestamp of the last message of any kind (heartbeats included). */
	lastMessageAt: number | null;
	/** Reconnect attempts since the last successful message. */
	attempts: number;
	/** Streams opened so far: above 1 once the stream has reconnected. */
	connects: number;
	/**
	 * A tiles frame arrived on the current stream. Until it does the figures on screen are older than the
	 * connection: after a server restart the first tiles come seconds after the first heartbeat.
	 */
	tilesSinceConnect: boolean;
}

/** A page's status before its stream opens. */
export function connectingStatus(): LiveStatus {
	return { state: 'connecting', lastMessageAt: null, attempts: 0, connects: 0, tilesSinceConnect: false };
}

export type LiveHandlers = { [K in LiveEventName]?: (data: LiveEventMap[K]) => void };

export interface LiveOptions {
	/** Treat the stream as stalled when nothing (not even a heartbeat) arrived for this long. */
	stallMs?: number;
	maxBackoffMs?: number;
	/**
	 * Called each time the stream (re)connects. Pages that refresh on live events pass a reload here:
	 * whatever happened between their server load and the connection was never sent to them.
	 */
	onOpen?: () => void;
}

export function connectLive(
	url: string,
	handlers: LiveHandlers,
	onStatus: (s: LiveStatus) => void,
	opts: LiveOptions = {}
): () => void {
	const stallMs = opts.stallMs ?? 20_000;
	const maxBackoff = opts.maxBackoffMs ?? 30_000;
	let es: EventSource | null = null;
	let lastId: string | null = null;
	let status = connectingStatus();
	let retryTimer: ReturnType<typeof setTimeout> | null = null;
	/** Set from the first line of scheduleReconnect: an error and the stall watchdog can both call it while its probe is pending. */
	let reconnecting = false;
	let stopped = false;

	const set = (patch: Partial<LiveStatus>) => {
		status = { ...status, ...patch };
		onStatus(status);
	};

	const withResume = () => {
		if (!lastId) return url;
		const u = new URL(url, window.location.href);
		u.searchParams.set('lastEventId', lastId);
		return u.pathname + u.search;
	};

	const scheduleReconnect = async () => {
		es?.close();
		es = null;
		if (stopped || retryTimer || reconnecting) return;
		reconnecting = true;
		try {
			// EventSource hides the status code; ask once so a revoked token shows as such, not as a retry loop.
			try {
				const r = await fetch(url, { method: 'GET', headers: { accept: 'application/json' }, signal: AbortSignal.timeout(5000) });
				void r.body?.cancel();
				if (r.status === 401 || r.status === 403) {
					// 401: no valid session any more (403 is a role that may not, the session still works).
					if (r.status === 401) markSessionEnded();
					set({ state: 'unauthorized' });
					return;
				}
			} catch {
				/* network down: keep retrying */
			}
			if (stopped) return;
			const delay = Math.min(maxBackoff, 1000 * 2 ** Math.min(status.attempts, 5)) * (0.75 + Math.random() * 0.5);
			set({ state: status.state === 'stalled' ? 'stalled' : 'connecting', attempts: status.attempts + 1 });
			retryTimer = setTimeout(() => {
				retryTimer = null;
				open();
			}, delay);
		} finally {
			reconnecting = false;
		}
	};

	const open = () => {
		if (stopped) return;
		const mine = new EventSource(withResume());
		es = mine;
		// A replaced stream's late error must not tear down its successor.
		mine.onerror = () => {
			if (es === mine) void scheduleReconnect();
		};
		mine.onopen = () => {
			set({ connects: status.connects + 1, tilesSinceConnect: false });
			opts.onOpen?.();
		};
		for (const name of LIVE_EVENT_NAMES) {
			mine.addEventListener(name, (ev) => {
				const m = ev as MessageEvent<string>;
				if (m.lastEventId) lastId = m.lastEventId;
				set({ state: 'open', lastMessageAt: Date.now(), attempts: 0, ...(name === 'tiles' && { tilesSinceConnect: true }) });
				const h = handlers[name] as ((d: unknown) => void) | undefined;
				if (h) h(JSON.parse(m.data));
			});
		}
	};

	const watchdog = setInterval(() => {
		if (stopped || status.state === 'unauthorized') return;
		const since = Date.now() - (status.lastMessageAt ?? 0);
		if (status.lastMessageAt !== null && since > stallMs && status.state === 'open') {
			set({ state: 'stalled' });
			void scheduleReconnect();
		} else if (status.state === 'stalled') onStatus(status);
	}, 1000);

	open();
	return () => {
		stopped = true;
		clearInterval(watchdog);
		if (retryTimer) clearTimeout(retryTimer);
		es?.close();
		set({ state: 'closed' });
	};
}

/** `?a=1&b=2` from the non-empty entries (null/'' dropped). */
export function queryString(params: Record<string, string | null | undefined>): string {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
	const s = q.toString();
	return s ? `?${s}` : '';
}

/** The current search with one parameter replaced (or removed when empty). */
export function withParam(search: string, name: string, value: string | null): string {
	const q = new URLSearchParams(search);
	if (value) q.set(name, value);
	else q.delete(name);
	const s = q.toString();
	return s ? `?${s}` : '?';
}
