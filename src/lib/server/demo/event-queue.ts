// A min-heap of things that will happen later (agent replies, surveys, cancellations), ordered by
// time and then by insertion, so equal times still pop in a reproducible order.

export interface Pending {
	at: number;
	seq: number;
	run: () => void;
}

export class EventQueue {
	private readonly heap: Pending[] = [];
	private seq = 0;

	get size(): number {
		return this.heap.length;
	}

	push(at: number, run: () => void): void {
		const item = { at, seq: this.seq++, run };
		const h = this.heap;
		h.push(item);
		let i = h.length - 1;
		while (i > 0) {
			const parent = (i - 1) >> 1;
			if (!before(h[i], h[parent])) break;
			[h[i], h[parent]] = [h[parent], h[i]];
			i = parent;
		}
	}

	peekTime(): number | undefined {
		return this.heap[0]?.at;
	}

	pop(): Pending | undefined {
		const h = this.heap;
		if (h.length === 0) return undefined;
		const top = h[0];
		const last = h.pop() as Pending;
		if (h.length > 0) {
			h[0] = last;
			let i = 0;
			for (;;) {
				const l = 2 * i + 1;
				const r = l + 1;
				let m = i;
				if (l < h.length && before(h[l], h[m])) m = l;
				if (r < h.length && before(h[r], h[m])) m = r;
				if (m === i) break;
				[h[i], h[m]] = [h[m], h[i]];
				i = m;
			}
		}
		return top;
	}
}

function before(a: Pending, b: Pending): boolean {
	return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
