// Reads of rollup_minute and rollup_latency for one window and its predecessor: whole-window
// counters, previous-window counters and per-bin counters for sparklines.
import type { Db } from '../db';
import { MINUTE_COUNTERS, type Counters, type Histogram } from './definitions';
import { ts, type WindowBounds } from './windows';

export interface Scope {
	channel: string | null;
	segment: string | null;
}

export const SCOPE_FILTER = `($channel::TEXT IS NULL OR channel = $channel::TEXT) AND ($segment::TEXT IS NULL OR segment = $segment::TEXT)`;

const BIN = `CASE WHEN minute < $from::TIMESTAMP THEN -1
	ELSE floor((epoch_ms(minute) - epoch_ms($from::TIMESTAMP)) / $binms)::INTEGER END`;

function params(b: WindowBounds, scope: Scope) {
	return {
		from: ts(b.from),
		to: ts(b.to),
		prev: ts(b.prevFrom),
		binms: b.binMs,
		channel: scope.channel,
		segment: scope.segment
	};
}

export interface CounterSeries {
	current: Counters;
	previous: Counters;
	bins: (Counters | null)[];
}

/** Counters of a window with nothing in it. */
export function emptyMinute(bins: number): CounterSeries {
	const zero = (): Counters => Object.fromEntries(MINUTE_COUNTERS.map((k) => [k, 0]));
	return { current: zero(), previous: zero(), bins: Array.from({ length: bins }, () => null) };
}

export async function loadMinuteCounters(db: Db, b: WindowBounds, scope: Scope): Promise<CounterSeries> {
	const sums = MINUTE_COUNTERS.map((c) => `sum(${c})::DOUBLE AS ${c}`).join(', ');
	const rows = await db.all<Record<string, number>>(
		`SELECT ${BIN} AS bin, ${sums} FROM rollup_minute
		 WHERE minute >= $prev::TIMESTAMP AND minute < $to::TIMESTAMP AND ${SCOPE_FILTER}
		 GROUP BY bin`,
		params(b, scope)
	);
	const current: Counters = {};
	let previous: Counters = {};
	const bins: (Counters | null)[] = Array.from({ length: b.bins }, () => null);
	for (const r of rows) {
		const c: Counters = {};
		for (const k of MINUTE_COUNTERS) c[k] = r[k] ?? 0;
		if (r.bin < 0) previous = c;
		else {
			if (r.bin < b.bins) bins[r.bin] = c;
			for (const k of MINUTE_COUNTERS) current[k] = (current[k] ?? 0) + (c[k] ?? 0);
		}
	}
	for (const k of MINUTE_COUNTERS) {
		current[k] ??= 0;
		previous[k] ??= 0;
	}
	return { current, previous, bins };
}

export interface Histograms {
	frt: Histogram;
	res: Histogram;
}

export interface HistogramSeries {
	current: Histograms;
	previous: Histograms;
	bins: Histograms[];
}

export const emptyHist = (): Histograms => ({ frt: new Map(), res: new Map() });

export async function loadHistograms(db: Db, b: WindowBounds, scope: Scope): Promise<HistogramSeries> {
	const rows = await db.all<{ bin: number; metric: 'frt' | 'res'; bucket: number; n: number }>(
		`SELECT ${BIN} AS bin, metric, bucket, sum(n)::DOUBLE AS n FROM rollup_latency
		 WHERE minute >= $prev::TIMESTAMP AND minute < $to::TIMESTAMP AND ${SCOPE_FILTER}
		 GROUP BY ALL HAVING sum(n) > 0`,
		params(b, scope)
	);
	const out: HistogramSeries = {
		current: emptyHist(),
		previous: emptyHist(),
		bins: Array.from({ length: b.bins }, emptyHist)
	};
	const add = (h: Histograms, r: (typeof rows)[number]) => h[r.metric].set(r.bucket, (h[r.metric].get(r.bucket) ?? 0) + r.n);
	for (const r of rows) {
		if (r.bin < 0) add(out.previous, r);
		else {
			add(out.current, r);
			if (r.bin < b.bins) add(out.bins[r.bin], r);
		}
	}
	return out;
}

export interface RollupVersion {
	version: number;
	lastEventAt: Date | null;
}

/** Changes after every committed ingest batch; one-row read, cheap enough for every tick. */
export async function loadRollupVersion(db: Db): Promise<RollupVersion> {
	const r = await db.one<{ version: number; last_event_at: Date | null }>(
		'SELECT version, last_event_at FROM rollup_version WHERE id = 1'
	);
	return { version: r?.version ?? 0, lastEventAt: r?.last_event_at ?? null };
}
