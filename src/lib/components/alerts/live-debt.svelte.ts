// A tolerance item's "debt now" on an open work list. The list's load computes it at that moment, but
// debt decays by the hour and grows with each bad event, and nothing about an item changes meanwhile (no
// `workitem` event, so no reload): a list left open for an hour showed figures an hour old as "now". The
// page re-reads the figures of its rows through GET /api/v1/workitems?id=… (the list's own query, so they
// are the figures a reload would show) when the stream says new events were committed, every minute while
// the page is visible, and on coming back to it; the rows take them in place (no re-sort under the
// cursor), and a figure not read for a minute says when it was read.

/** A row's debt and limit now, and when they were read (ms, this browser's clock). */
export interface DebtFigure {
	debt_now: number | null;
	limit_now: number | null;
	at: number;
}

/** Re-read at least this often while the page is visible. */
export const DEBT_REREAD_MS = 60_000;
/** A figure older than this is shown with its time ("at 14:32") instead of "now". */
export const DEBT_STALE_MS = 60_000;
/** Bursts of triggers (a tiles frame per committed ingest batch) coalesce into one read in this long. */
const MIN_GAP_MS = 5_000;
/** Ids per request: the API's MAX_IDS. */
const CHUNK = 200;

/** "now", or the time it was read when that is over a minute ago; `time` formats in the display zone. */
export function debtWhen(at: number, clockNow: number, time: (at: number) => string): string {
	return clockNow - at > DEBT_STALE_MS ? `at ${time(at)}` : 'now';
}

/** The newer of the load's figure (read at `loadedAt`) and a re-read's. */
export function freshest<T extends { id: string; debt_now: number | null; limit_now: number | null }>(
	item: T,
	loadedAt: number,
	reread: DebtFigure | undefined
): T & { debt_at: number } {
	if (!reread || reread.at <= loadedAt) return { ...item, debt_at: loadedAt };
	return { ...item, debt_now: reread.debt_now, limit_now: reread.limit_now, debt_at: reread.at };
}

export class LiveDebt {
	/** Re-read figures by item id. */
	figures = $state<Record<string, DebtFigure>>({});
	readonly #ids: () => string[];
	#reading = false;
	#again = false;
	#lastStart = 0;
	#timer: ReturnType<typeof setTimeout> | null = null;
	#version: number | null = null;
	#stopped = false;

	/** `ids`: the rows whose figures to keep current (the list's tolerance items). */
	constructor(ids: () => string[]) {
		this.#ids = ids;
	}

	/** A `tiles` frame: its rollup version moves after every committed ingest batch, which may add debt. */
	tiles(sets: Record<string, { version: number }>): void {
		const versions = Object.values(sets).map((s) => s.version);
		if (!versions.length) return;
		const v = Math.max(...versions);
		if (v === this.#version) return;
		this.#version = v;
		this.request();
	}

	/** Re-read soon: at most one read in flight, reads at least MIN_GAP_MS apart; none while hidden. */
	request(): void {
		if (this.#timer || this.#stopped) return;
		if (this.#reading) {
			this.#again = true;
			return;
		}
		const wait = Math.max(0, this.#lastStart + MIN_GAP_MS - Date.now());
		this.#timer = setTimeout(() => {
			this.#timer = null;
			void this.#read();
		}, wait);
	}

	async #read(): Promise<void> {
		if (document.visibilityState !== 'visible') return;
		const ids = this.#ids();
		if (!ids.length) return;
		this.#reading = true;
		const at = Date.now();
		this.#lastStart = at;
		try {
			for (let i = 0; i < ids.length; i += CHUNK) {
				const chunk = ids.slice(i, i + CHUNK);
				const q = `id=${encodeURIComponent(chunk.join(','))}&limit=${chunk.length}`;
				const r = await fetch(`/api/v1/workitems?${q}`, { headers: { accept: 'application/json' } });
				// Not read (server away, session ended): the figure keeps its time and says how old it is.
				if (!r.ok) return;
				const body = (await r.json()) as { items: { id: string; debt_now: number | null; limit_now: number | null }[] };
				for (const it of body.items) {
					const had = this.figures[it.id];
					if (!had || had.at < at) this.figures[it.id] = { debt_now: it.debt_now, limit_now: it.limit_now, at };
				}
			}
		} catch {
			// Offline: as above.
		} finally {
			this.#reading = false;
			if (this.#again) {
				this.#again = false;
				this.request();
			}
		}
	}

	/** Re-reads every DEBT_REREAD_MS while the page is visible, and on coming back to it; returns the stop. */
	start(): () => void {
		this.#stopped = false;
		const interval = setInterval(() => this.request(), DEBT_REREAD_MS);
		const onVisible = () => {
			if (document.visibilityState === 'visible') this.request();
		};
		document.addEventListener('visibilitychange', onVisible);
		return () => {
			this.#stopped = true;
			clearInterval(interval);
			document.removeEventListener('visibilitychange', onVisible);
			if (this.#timer) clearTimeout(this.#timer);
			this.#timer = null;
		};
	}
}
