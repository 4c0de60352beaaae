// Event-to-tile latency: from sending a batch to a client receiving a `tiles` frame whose 1 h event
// count includes that batch. The loader records each acknowledged batch with the running total; each
// client keeps a cursor into that list and takes a sample for every batch its frame now covers.
import type { TilesPayload } from '../../src/lib/shared/live-events';

export class TileLatency {
	private readonly sent: { at: number; total: number }[] = [];
	private readonly parsed = new Map<string, number>();
	readonly samples: number[] = [];

	/** A batch sent at `at` was acknowledged; `total` events are now stored in all. */
	acknowledged(at: number, total: number): void {
		this.sent.push({ at, total });
	}

	/**
	 * The 1 h event count of a tiles frame. Every client receives the same frame, so it is parsed once
	 * per frame id (the benchmark's clients share this process's CPU with the server).
	 */
	eventsIn(id: string | null, data: string): number {
		const hit = id ? this.parsed.get(id) : undefined;
		if (hit !== undefined) return hit;
		const set = (JSON.parse(data) as TilesPayload).sets['1h||'];
		const n = set?.tiles.find((t) => t.id === 'complaint_rate')?.counts.events ?? 0;
		if (id) {
			this.parsed.set(id, n);
			if (this.parsed.size > 64) this.parsed.delete(this.parsed.keys().next().value!);
		}
		return n;
	}

	/** A client saw `events` counted at `now`; returns its advanced cursor. */
	observe(cursor: number, events: number, now: number): number {
		let c = cursor;
		while (c < this.sent.length && this.sent[c].total <= events) {
			this.samples.push(now - this.sent[c].at);
			c += 1;
		}
		return c;
	}
}
