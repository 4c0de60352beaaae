// The drill-down chart of a metric that counts distinct customers over the whole window (churn rate,
// active customers, repeat-purchase rate, relationship length). Its value per bin would not compare
// with the tile or its thresholds (the customers active in 12 hours are not those active in 30 days;
// a churn rate over 12 hours is not one over 30 days), so each point is the metric over a window of
// the same length ending at that point: the tile as it read then. The last point is the tile itself.
import type { Db } from '../db';
import type { WindowId } from '../../shared/format';
import type { Counters, MetricDefinition } from './definitions';
import {
	loadActivityCounters,
	loadChurnCounters,
	type ChurnOptions,
	type Interval
} from './customer-queries';
import type { Scope } from './rollup-queries';
import { activityReady, type ActivityWait } from './rollup-activity';
import { windowBounds } from './windows';

/** Points per chart: a day apart on 30 days, 6 h on 7 days, an hour on 24 h. */
export const TRAILING_POINTS: Record<WindowId, number> = {
	'15m': 15,
	'1h': 30,
	'24h': 24,
	'7d': 28,
	'30d': 30
};

/** The windows, as long as `window`, that end at each point (evenly spaced, the last at the window's end). */
export function trailingWindows(window: WindowId, now?: Date): Interval[] {
	const b = windowBounds(window, now);
	const len = b.to.getTime() - b.from.getTime();
	const n = TRAILING_POINTS[window];
	return Array.from({ length: n }, (_, i) => {
		const end = b.from.getTime() + ((i + 1) * len) / n;
		return { from: new Date(end - len), to: new Date(end) };
	});
}

export type TrailingResult =
	{ ok: true; value: { at: string; value: number | null }[] } | { ok: false; error: string };

/** The sources whose counters count distinct customers over a whole window. */
type TrailingCounterSource = 'churn' | 'activity';

/** Whether a metric's chart is drawn from trailing windows rather than per-bin rollups. */
export const hasTrailingHistory = (
	m: MetricDefinition
): m is MetricDefinition & { source: TrailingCounterSource } =>
	m.source === 'churn' || m.source === 'activity';

/**
 * The counters of each trailing window for a metric of this source: the one choice of read behind the
 * metric page's chart and the tiles' sparklines (trailing-sparkline.ts). Churn counters count from the
 * activity links, which callers bring up to date first (activityReady): the chart waits here, the tiles
 * read only once their own churn tile found the links ready.
 */
export function loadTrailingCounters(
	db: Db,
	source: TrailingCounterSource,
	windows: Interval[],
	scope: Scope,
	churn: ChurnOptions
): Promise<Counters[]> {
	return source === 'churn'
		? loadChurnCounters(db, windows, scope, churn)
		: loadActivityCounters(db, windows, scope);
}

export async function loadTrailingHistory(
	db: Db,
	m: MetricDefinition,
	scope: Scope,
	q: { window: WindowId; now?: Date; churn: ChurnOptions; activity?: ActivityWait }
): Promise<TrailingResult> {
	const windows = trailingWindows(q.window, q.now);
	if (!hasTrailingHistory(m)) return { ok: false, error: `${m.label} is drawn per bin` };
	if (m.source === 'churn') {
		const ready = await activityReady(db, q.activity);
		if (!ready.ok) return ready;
	}
	const counters = await loadTrailingCounters(db, m.source, windows, scope, q.churn);
	return {
		ok: true,
		value: windows.map((w, i) => ({
			at: w.to.toISOString(),
			value: m.compute({ c: counters[i], frt: new Map(), res: new Map() })
		}))
	};
}
