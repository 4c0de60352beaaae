// Sparklines for the tiles that count distinct customers over the whole window (churn rate, active
// customers, repeat-purchase rate, relationship length). A per-bin value would not compare with the tile
// (trailing-history.ts says why), so their line is the metric page's chart: the metric over windows of the
// tile's length ending at evenly spaced points. That read costs a few hundred milliseconds on 24 h and
// seconds on 30 d at 1 M events (bench/README.md "tiles"), and the live ticker builds tile sets every tick
// for every watched scope, so the counters of those windows are kept per database and scope and read again
// only once the points have moved on by one spacing (a day on 30 d, 2 minutes on 1 h); that read runs beside
// the ticks, which keep drawing the old points until it lands.
// The last point is always the tile's own current value, so the line ends at the figure shown whatever the
// age of the earlier points.
// The at-risk tiles (source 'risk') are snapshots of the latest scores: their points are the tiles as they read
// at the same moments, from the score history (risk-history.ts), kept and refreshed the same way.
import type { Db } from '../db';
import { config } from '../config';
import { WINDOW_MS, type WindowId } from '../../shared/format';
import type { Counters, MetricDefinition, MetricInputs } from './definitions';
import { log } from '../log';
import type { ChurnOptions, Interval } from './customer-queries';
import type { Scope } from './rollup-queries';
import { hasTrailingHistory, loadTrailingCounters, TRAILING_POINTS, trailingWindows } from './trailing-history';
import { loadRiskHistory } from './risk-history';

/** How long a scope's points are kept: one point spacing, and never less than the minute the windows move by. */
export const trailingRefreshMs = (w: WindowId): number => Math.max(WINDOW_MS[w] / TRAILING_POINTS[w], 60_000);

/** Scopes kept per database; the oldest read goes first (a wall and a few Overview scopes need a handful). */
const MAX_ENTRIES = 200;

interface Entry {
	/** End of the last trailing window when read (a minute boundary). */
	to: number;
	counters: Promise<Counters[]>;
	/** The counters once read: served while a newer read runs. */
	done: Counters[] | null;
	/** A newer read is under way. */
	refreshing: boolean;
}

// Per database (tests and the CLI open several), so one file's history never draws another's line.
const caches = new WeakMap<Db, Map<string, Entry>>();

type TrailingSource = 'activity' | 'churn' | 'risk';

function cacheOf(db: Db): Map<string, Entry> {
	let c = caches.get(db);
	if (!c) caches.set(db, (c = new Map()));
	return c;
}

/** Drops the kept points of a database (the tiles benchmark times the first read with it). */
export function forgetTrailingSparklines(db: Db): void {
	caches.delete(db);
}

function readCounters(db: Db, source: TrailingSource, windows: Interval[], scope: Scope, churn: ChurnOptions): Promise<Counters[]> {
	if (source === 'risk') return loadRiskHistory(db, windows.map((w) => w.to), scope.segment, config().modelsDir);
	return loadTrailingCounters(db, source, windows, scope, churn);
}

function keep(cache: Map<string, Entry>, key: string, entry: Entry): void {
	cache.delete(key);
	cache.set(key, entry);
	if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
}

/** The counters as a promise, and as read already (null while a first read runs): a tile set that does not wait takes those. */
interface Read {
	counters: Promise<Counters[]>;
	ready: Counters[] | null;
}

function countersFor(db: Db, source: TrailingSource, scope: Scope, q: { window: WindowId; now?: Date; churn: ChurnOptions }): Read {
	const windows = trailingWindows(q.window, q.now);
	const to = windows[windows.length - 1].to.getTime();
	// Churn options change what is counted as lost; activity counters do not depend on them. A score is a
	// customer's, not a channel's: every channel of a segment shares its risk points.
	const channel = source === 'risk' ? null : scope.channel;
	const key = JSON.stringify([source, q.window, channel, scope.segment, source === 'churn' ? [q.churn.inactivityDays, q.churn.lostBy] : null]);
	const cache = cacheOf(db);
	const hit = cache.get(key);
	const spacing = trailingRefreshMs(q.window);
	// A clock set back (tests, a pinned `now`) reads again rather than drawing points from the future.
	if (hit && to >= hit.to && to - hit.to < spacing) return { counters: hit.counters, ready: hit.done };
	if (hit?.done && to >= hit.to && to - hit.to < 2 * spacing) {
		// One spacing on: the kept points are served while the next ones are read, so a live tick never waits
		// for the read (seconds on 30 d); the new points show from the tile set after it lands.
		if (!hit.refreshing) {
			hit.refreshing = true;
			readCounters(db, source, windows, scope, q.churn).then(
				(done) => {
					if (cache.get(key) === hit) keep(cache, key, { to, counters: Promise.resolve(done), done, refreshing: false });
				},
				(err: unknown) => {
					hit.refreshing = false;
					log.error(`trailing sparkline: ${err instanceof Error ? err.message : String(err)}`);
				}
			);
		}
		return { counters: Promise.resolve(hit.done), ready: hit.done };
	}
	const counters = readCounters(db, source, windows, scope, q.churn);
	const entry: Entry = { to, counters, done: null, refreshing: false };
	keep(cache, key, entry);
	counters.then(
		(done) => (entry.done = done),
		// A failed read is not kept: the next tile set tries again.
		() => {
			if (cache.get(key) === entry) cache.delete(key);
		}
	);
	return { counters, ready: null };
}

/** How long a tile set waits by default for trailing points not read yet (see `waitMs`). */
export const TRAILING_WAIT_MS = 250;

/**
 * The counters, or null when they are not there within `ms` (the read goes on) or the read failed. Without
 * time to wait, only counters read already: whether a read just begun beats a 0 ms timer is up to the machine.
 */
function within(r: Read, ms: number): Promise<Counters[] | null> {
	if (ms <= 0) return Promise.resolve(r.ready);
	const read = r.counters.catch((err: unknown) => {
		log.error(`trailing sparkline: ${err instanceof Error ? err.message : String(err)}`);
		return null;
	});
	if (!Number.isFinite(ms)) return read;
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms).unref()));
	return Promise.race([read, late]).finally(() => clearTimeout(timer));
}

/**
 * The sparkline of each trailing-history metric among `metrics`, by id: the kept points with the last one
 * replaced by the metric over `current` (the tile's own inputs). `churnReady: false` (activity links still
 * catching up) leaves churn metrics out, as their tile has no value yet either; `riskReady: false` (no scores
 * to count) the at-risk ones, which also get no line while the history has no earlier point. A scope's first read can take
 * seconds (30 windows of 30 days at 1 M events): the figures wait for it at most `waitMs`
 * (TRAILING_WAIT_MS), leaving those tiles without a line until a later tile set, once the read has landed.
 */
export async function trailingSparklines(
	db: Db,
	metrics: readonly MetricDefinition[],
	scope: Scope,
	q: { window: WindowId; now?: Date; churn: ChurnOptions; churnReady: boolean; riskReady?: boolean; current: MetricInputs; waitMs?: number }
): Promise<Map<string, (number | null)[]>> {
	const wanted = metrics.filter((m) =>
		m.source === 'risk' ? q.riskReady === true : hasTrailingHistory(m) && (m.source !== 'churn' || q.churnReady)
	);
	const sources = [...new Set(wanted.map((m) => m.source as TrailingSource))];
	const reads = sources.map((s) => countersFor(db, s, scope, q));
	const deadline = Date.now() + (q.waitMs ?? TRAILING_WAIT_MS);
	const bySource = new Map<string, Counters[] | null>();
	for (const [i, s] of sources.entries()) bySource.set(s, await within(reads[i], Math.max(0, deadline - Date.now())));
	const out = new Map<string, (number | null)[]>();
	for (const m of wanted) {
		const counters = bySource.get(m.source);
		if (!counters) continue;
		const points = counters.slice(0, -1).map((c) => m.compute({ c, frt: new Map(), res: new Map() }));
		// A line of the current value alone would draw a trend the history does not hold.
		if (m.source === 'risk' && points.every((p) => p === null)) continue;
		out.set(m.id, [...points, m.compute(q.current)]);
	}
	return out;
}
