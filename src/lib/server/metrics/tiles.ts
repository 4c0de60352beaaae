// The full tile set for a window and optional channel/segment: value, previous window, delta,
// sparkline, threshold state, no-data state. Reads rollups only.
import type { Db } from '../db';
import type { WindowId } from '../../shared/format';
import type { Tile, TileSet } from '../../shared/live-events';
import { isMinuteCounter, METRICS, type Counters, type MetricInputs, type MetricSource } from './definitions';
import { loadActivityCounters, loadChurnCounters, type ChurnOptions } from './customer-queries';
import { loadRiskCounters, type RiskResult } from './risk-queries';
import { activityReady, type ActivityWait } from './rollup-activity';
import {
	emptyHist,
	emptyMinute,
	loadHistograms,
	loadMinuteCounters,
	loadRollupVersion,
	type HistogramSeries,
	type RollupVersion,
	type Scope
} from './rollup-queries';
import { trailingSparklines } from './trailing-sparkline';
import { tileCounts, tileVerdict } from './verdict';
import { windowBounds } from './windows';

export interface TileQuery extends Scope {
	window: WindowId;
	now?: Date;
	churn?: ChurnOptions;
	/** Only these metric ids (default: all). */
	metrics?: readonly string[];
	/**
	 * How long the churn tile waits for a large activity catch-up after an import (rollup-activity.ts);
	 * `{ wait: true }` for the alert loop, where an empty tile would read as "no data".
	 */
	activity?: ActivityWait;
	/**
	 * The window alone: no previous window (previous and delta null) and no sparkline. Breakdown rows
	 * show only the value, and the previous window's reads were half the cost of a drill-down.
	 */
	currentOnly?: boolean;
	/**
	 * How long the figures wait for a scope's first read of trailing sparkline points (default 250 ms,
	 * trailing-sparkline.ts); a later tile set draws the line once read. Tests pass Infinity.
	 */
	sparklineWaitMs?: number;
	/**
	 * false: no trailing-window sparklines. The metric page draws its chart from the same windows, read
	 * exactly (trailing-history.ts); a second, cached read beside it would double a 30-day page's cost.
	 */
	trailingSparklines?: boolean;
	/** The risk counters of this segment when the caller has read them already (the at-risk page's link needs them too). */
	risk?: RiskResult;
}

/** The churn counters of the window and the one before it, or why they are not there yet. */
type ChurnResult = { ok: true; value: Counters[] } | { ok: false; error: string };

/** A breakdown row's version: rows are shown only with the tile set that carries the real one. */
const NO_VERSION: RollupVersion = { version: 0, lastEventAt: null };

export const DEFAULT_CHURN: ChurnOptions = { inactivityDays: 30, lostBy: 'either' };

export async function computeTileSet(db: Db, q: TileQuery): Promise<TileSet> {
	const full = windowBounds(q.window, q.now);
	// With prevFrom at from, the reads below find nothing before the window.
	const b = q.currentOnly ? { ...full, prevFrom: full.from } : full;
	const scope: Scope = { channel: q.channel, segment: q.segment };
	const churn = q.churn ?? DEFAULT_CHURN;
	const defs = q.metrics ? METRICS.filter((m) => q.metrics!.includes(m.id)) : METRICS;
	const needs = new Set(defs.map((m) => m.source));
	// A breakdown row of a churn or risk metric reads no minute counter (a tile set's sparklines do).
	const needsMinute = !q.currentOnly || defs.some((m) => m.source === 'counters' || m.counters.some((k) => isMinuteCounter(k)));
	const skip = <T>(need: MetricSource, empty: T, load: () => Promise<T>) => (needs.has(need) ? load() : Promise.resolve(empty));
	const noHist: HistogramSeries = { current: emptyHist(), previous: emptyHist(), bins: Array.from({ length: b.bins }, emptyHist) };
	const windows = [{ from: b.from, to: b.to }, ...(q.currentOnly ? [] : [{ from: b.prevFrom, to: b.from }])];
	const churnCounters = async (): Promise<ChurnResult> => {
		const ready = await activityReady(db, q.activity);
		return ready.ok ? { ok: true, value: await loadChurnCounters(db, windows, scope, churn) } : ready;
	};
	const [ver, minute, hist, [act, actPrev], churnResult, risk] = await Promise.all([
		q.currentOnly ? Promise.resolve(NO_VERSION) : loadRollupVersion(db),
		needsMinute ? loadMinuteCounters(db, b, scope) : Promise.resolve(emptyMinute(b.bins)),
		skip('latency', noHist, () => loadHistograms(db, b, scope)),
		skip<Counters[]>('activity', [{}, {}], () => loadActivityCounters(db, windows, scope)),
		skip<ChurnResult>('churn', { ok: true, value: [{}, {}] }, churnCounters),
		skip<RiskResult>('risk', { ok: false, error: 'not requested' }, async () => q.risk ?? loadRiskCounters(db, q.segment))
	]);
	const riskCounters = risk.ok ? risk.value : {};
	const [ch, chPrev = {}] = churnResult.ok ? churnResult.value : [{}, {}];
	const cur: MetricInputs = { c: { ...minute.current, ...act, ...ch, ...riskCounters }, ...hist.current };
	const prev: MetricInputs = { c: { ...minute.previous, ...actPrev, ...chPrev }, ...hist.previous };
	// Metrics counting distinct customers over the whole window draw their line from trailing windows, kept between
	// ticks; the at-risk snapshots theirs from the score history at the same moments.
	const trailing = q.currentOnly || q.trailingSparklines === false
		? new Map<string, (number | null)[]>()
		: await trailingSparklines(db, defs, scope, {
				window: q.window,
				now: q.now,
				churn,
				churnReady: churnResult.ok,
				riskReady: risk.ok,
				current: cur,
				waitMs: q.sparklineWaitMs
			});
	const tiles: Tile[] = defs.map((m) => {
		const value = m.compute(cur);
		const previous = m.snapshot || q.currentOnly ? null : m.compute(prev);
		const flowOnly = !m.counters.some((k) => !(k in minute.current)) || m.counters.length === 0;
		const sparkline =
			trailing.get(m.id) ??
			(m.snapshot || !flowOnly || q.currentOnly ? [] : minute.bins.map((c, i) => m.compute({ c: c ?? {}, ...hist.bins[i] })));
		const counts = tileCounts(m, cur);
		const verdict = tileVerdict(m, value, counts, q.window);
		let note: string | null = verdict.note;
		if (value === null) {
			note = m.snapshot && !risk.ok ? risk.error : m.source === 'churn' && !churnResult.ok ? churnResult.error : 'no data in this window';
		} else if (m.source === 'risk' && q.channel) {
			// A score belongs to a customer, not to one of their channels: the figure is the scope's segment, all channels.
			note = 'all channels: churn risk is per customer';
		} else if (m.snapshot) {
			// Said by the server, which knows the definition: a windowed tile without a previous window
			// (a short or young window) is not a snapshot.
			note = 'current snapshot';
		}
		return {
			id: m.id,
			label: m.label,
			unit: m.unit,
			direction: m.direction,
			value,
			previous,
			delta: value !== null && previous !== null ? value - previous : null,
			state: verdict.state,
			thresholds: m.thresholds,
			sparkline,
			secondary: m.secondary ? { label: m.secondary.label, unit: m.secondary.unit, value: m.secondary.compute(cur) } : null,
			counts,
			note
		};
	});
	return {
		window: q.window,
		channel: q.channel,
		segment: q.segment,
		from: b.from.toISOString(),
		to: b.to.toISOString(),
		computedAt: new Date().toISOString(),
		version: ver.version,
		lastEventAt: ver.lastEventAt ? ver.lastEventAt.toISOString() : null,
		tiles
	};
}
