// Publish/subscribe for live events. Each published event is serialized to one SSE frame once and
// the same bytes go to every subscriber, so the cost of a publish does not grow with viewers.
// Recent frames stay in a bounded ring so a reconnecting client can resume from Last-Event-ID.
import { audienceOf, type Audience } from './audience';
import type { LiveEventMap, LiveEventName } from './events';

export interface Frame {
	/** `${boot}-${seq}`; boot changes per process so ids from an older process are recognised. */
	id: string | null;
	seq: number;
	event: LiveEventName;
	/** Who may receive it (see audience.ts); the stream skips frames outside a viewer's audiences. */
	audience: Audience;
	bytes: Uint8Array;
}

export type Subscriber = (f: Frame) => void;

const encoder = new TextEncoder();

export function encodeFrame(id: string | null, event: string, data: unknown): Uint8Array {
	return encoder.encode(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

export class LiveHub {
	readonly boot = Date.now().toString(36);
	private seq = 0;
	private readonly ring: Frame[] = [];
	private readonly subs = new Set<Subscriber>();
	private readonly latest = new Map<LiveEventName, Frame>();

	constructor(readonly ringSize = 512) {}

	/** Publishes to every subscriber; `resumable: false` (heartbeats) skips the id and the ring. */
	publish<K extends LiveEventName>(
		event: K,
		data: LiveEventMap[K],
		opts: { resumable?: boolean } = {}
	): Frame {
		const resumable = opts.resumable ?? true;
		let frame: Frame;
		const audience = audienceOf(event, data);
		if (resumable) {
			this.seq += 1;
			const id = `${this.boot}-${this.seq}`;
			frame = { id, seq: this.seq, event, audience, bytes: encodeFrame(id, event, data) };
			this.ring.push(frame);
			if (this.ring.length > this.ringSize) this.ring.shift();
			this.latest.set(event, frame);
		} else {
			frame = { id: null, seq: this.seq, event, audience, bytes: encodeFrame(null, event, data) };
		}
		for (const s of this.subs) s(frame);
		return frame;
	}

	subscribe(fn: Subscriber): () => void {
		this.subs.add(fn);
		return () => {
			this.subs.delete(fn);
		};
	}

	/** Sequence number of the newest resumable frame. */
	get lastSeq(): number {
		return this.seq;
	}

	get subscriberCount(): number {
		return this.subs.size;
	}

	/** The last frame of an event type (a new client's starting snapshot). */
	latestFrame(event: LiveEventName): Frame | undefined {
		return this.latest.get(event);
	}

	/**
	 * Frames after Last-Event-ID, or null when they cannot be replayed exactly (unknown id, another
	 * process's id, or older than the ring): the caller then sends a fresh snapshot instead.
	 */
	framesAfter(lastEventId: string): Frame[] | null {
		const m = /^([0-9a-z]+)-(\d+)$/.exec(lastEventId.trim());
		if (!m || m[1] !== this.boot) return null;
		const seq = Number(m[2]);
		if (seq > this.seq) return null;
		if (seq === this.seq) return [];
		const first = this.ring[0];
		if (!first || first.seq > seq + 1) return null;
		return this.ring.filter((f) => f.seq > seq);
	}
}

// One hub per process; kept on globalThis so every bundle chunk shares it.
const KEY = Symbol.for('cx-command.live-hub');
type WithHub = typeof globalThis & { [KEY]?: LiveHub };

export function liveHub(): LiveHub {
	const g = globalThis as WithHub;
	g[KEY] ??= new LiveHub();
	return g[KEY];
}
