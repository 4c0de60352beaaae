// Server-Sent Events response over the hub: resume from Last-Event-ID (or a fresh snapshot),
// then live frames; cleanup on cancel/abort. Slow clients are dropped rather than buffered
// without bound; they reconnect and resume.
import type { View } from './audience';
import { liveHub, type Frame, type LiveHub } from './hub';

export const SSE_HEADERS = {
	'content-type': 'text/event-stream; charset=utf-8',
	'cache-control': 'no-cache',
	'x-accel-buffering': 'no',
	connection: 'keep-alive'
} as const;

/** Bytes a client may lag behind before it is dropped. */
const MAX_BACKLOG = 4 * 1024 * 1024;

/** Every open stream's close, so a stopping server can end them (see endAllStreams). */
const openStreams = new Set<() => void>();
/** Set by endAllStreams: a stream asked for afterwards ends at once (its client retries elsewhere). */
let ending = false;

/**
 * Ends every open stream, as the server stops. The HTTP server's close waits for open responses, and
 * an event stream never ends by itself: with a wall connected a stop took adapter-node's whole
 * SHUTDOWN_TIMEOUT (30 s), keeping the database locked against the next process. Clients reconnect
 * with Last-Event-ID to whichever process serves next.
 */
export function endAllStreams(): number {
	ending = true;
	const n = openStreams.size;
	for (const close of [...openStreams]) close();
	return n;
}

export interface SseOptions {
	lastEventId: string | null;
	signal: AbortSignal;
	/** Called once the subscription is in place (e.g. to watch a tile scope); returns its cleanup. */
	onOpen?: () => () => void;
	hub?: LiveHub;
	retryMs?: number;
	/** The view of the stream this viewer may see (viewFor); default: all. */
	view?: View;
	/**
	 * Whether the viewer's credentials still allow the stream (auth/access-recheck.ts), asked every `recheckMs`:
	 * when not, the stream ends, and the client's reconnect meets the refusal.
	 */
	stillAllowed?: () => Promise<boolean>;
	recheckMs?: number;
}

export function createSseResponse(opts: SseOptions): Response {
	const hub = opts.hub ?? liveHub();
	let cleanup: (() => void) | null = null;
	const retry = new TextEncoder().encode(`retry: ${opts.retryMs ?? 2000}\n\n`);
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			if (ending) {
				controller.enqueue(retry);
				controller.close();
				return;
			}
			let closed = false;
			const send = (f: Frame | Uint8Array) => {
				if (closed) return;
				const bytes = f instanceof Uint8Array ? f : f.bytes;
				if ((controller.desiredSize ?? 0) < -MAX_BACKLOG) {
					close();
					return;
				}
				controller.enqueue(bytes);
			};
			const view = opts.view ?? 'all';
			const unsubscribe = hub.subscribe(send, view);
			const release = opts.onOpen?.();
			const stillAllowed = opts.stillAllowed;
			const recheck = stillAllowed
				? setInterval(() => {
						// A failed check (the database busy or closing) keeps the stream: refusing is for a known answer.
						stillAllowed().then(
							(ok) => ok || close(),
							() => undefined
						);
					}, opts.recheckMs ?? 5_000)
				: undefined;
			recheck?.unref();
			const close = () => {
				if (closed) return;
				closed = true;
				cleanup?.();
				try {
					controller.close();
				} catch {
					/* already closed by the client */
				}
			};
			cleanup = () => {
				clearInterval(recheck);
				unsubscribe();
				release?.();
				opts.signal.removeEventListener('abort', close);
				openStreams.delete(close);
				cleanup = null;
			};
			opts.signal.addEventListener('abort', close);
			openStreams.add(close);
			send(retry);
			const replay = opts.lastEventId ? hub.framesAfter(opts.lastEventId, view) : null;
			if (replay) for (const f of replay) send(f);
			else {
				// What a page cannot rebuild from later frames alone: the current tiles and firing list.
				for (const event of ['tiles', 'firing'] as const) {
					const snap = hub.latestFrame(event, view);
					if (snap) send(snap);
				}
			}
			send(hub.heartbeatFrame(view));
		},
		cancel() {
			cleanup?.();
		}
	});
	return new Response(stream, { headers: SSE_HEADERS });
}
