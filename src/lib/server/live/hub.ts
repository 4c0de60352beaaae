// Publish/subscribe for live events. Each published event is serialized once per view (at most three,
// see audience.ts) and the same bytes go to every subscriber of that view, so the cost of a publish
// does not grow with viewers. Each view numbers its own frames, so every viewer sees a gap-free
// sequence (a wall is not sent customer-level events, and must not see holes where they were), and
// recent frames stay in a bounded ring per view so a reconnecting client can resume from Last-Event-ID.
import { VIEWS, viewsSeeing, audienceOf, type View } from './audience';
import type { LiveEventMap, LiveEventName } from './events';

export interface Frame {
	/** `${boot}${view}-${seq}`; boot changes per process so ids from an older process are recognised. */
	id: string | null;
	seq: number;
	event: LiveEventName;
	bytes: Uint8Array;
}

export type Subscriber = (f: Frame) => void;

const encoder = new TextEncoder();

export function encodeFrame(id: string | null, event: string, data: unknown): Uint8Array {
	return encoder.encode(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

interface ViewState {
	seq: number;
	ring: Frame[];
	subs: Set<Subscriber>;
	latest: Map<LiveEventName, Frame>;
}

/** The view every frame reaches; the default for callers that do not filter (tests, tools). */
const WIDEST: View = 'all';

export class LiveHub {
	readonly boot = Date.now().toString(36);
	private readonly views = new Map<View, ViewState>(
		VIEWS.map((v) => [v, { seq: 0, ring: [], subs: new Set(), latest: new Map() }])
	);

	constructor(readonly ringSize = 512) {}

	private state(view: View): ViewState {
		return this.views.get(view)!;
	}

	/**
	 * Publishes to the subscribers of every view that may see the event (audience.ts), with an id and
	 * a place in that view's ring; returns the frame of the widest view.
	 */
	publish<K extends LiveEventName>(event: K, data: LiveEventMap[K]): Frame {
		let widest: Frame | null = null;
		for (const view of viewsSeeing(audienceOf(event, data))) {
			const v = this.state(view);
			v.seq += 1;
			const id = `${this.boot}${view[0]}-${v.seq}`;
			const frame: Frame = { id, seq: v.seq, event, bytes: encodeFrame(id, event, data) };
			v.ring.push(frame);
			if (v.ring.length > this.ringSize) v.ring.shift();
			v.latest.set(event, frame);
			for (const s of v.subs) s(frame);
			if (view === WIDEST) widest = frame;
		}
		return widest!;
	}

	/** A heartbeat for one view: no id, not in the ring, carrying the view's newest sequence number. */
	heartbeatFrame(view: View, at = new Date().toISOString()): Frame {
		const seq = this.state(view).seq;
		return { id: null, seq, event: 'heartbeat', bytes: encodeFrame(null, 'heartbeat', { at, version: seq }) };
	}

	/** A heartbeat to every subscriber of every view. */
	heartbeat(at = new Date().toISOString()): void {
		for (const view of VIEWS) {
			const frame = this.heartbeatFrame(view, at);
			for (const s of this.state(view).subs) s(frame);
		}
	}

	subscribe(fn: Subscriber, view: View = WIDEST): () => void {
		const subs = this.state(view).subs;
		subs.add(fn);
		return () => {
			subs.delete(fn);
		};
	}

	get subscriberCount(): number {
		let n = 0;
		for (const v of this.views.values()) n += v.subs.size;
		return n;
	}

	/** The last frame of an event type in a view (a new client's starting snapshot). */
	latestFrame(event: LiveEventName, view: View = WIDEST): Frame | undefined {
		return this.state(view).latest.get(event);
	}

	/**
	 * Frames of a view after Last-Event-ID, or null when they cannot be replayed exactly (unknown id,
	 * another process's or view's id, or older than the ring): the caller then sends a fresh snapshot.
	 */
	framesAfter(lastEventId: string, view: View = WIDEST): Frame[] | null {
		const m = /^([0-9a-z]+)-(\d+)$/.exec(lastEventId.trim());
		if (!m || m[1] !== `${this.boot}${view[0]}`) return null;
		const v = this.state(view);
		const seq = Number(m[2]);
		if (seq > v.seq) return null;
		if (seq === v.seq) return [];
		const first = v.ring[0];
		if (!first || first.seq > seq + 1) return null;
		return v.ring.filter((f) => f.seq > seq);
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
