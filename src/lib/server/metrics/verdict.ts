// A tile's verdict (OK / Warning / Critical) and when it gives none. A threshold judges a figure only
// when the figure can mean something against it: one solved ticket read "Critical 0 %" on the 1 h
// first-contact tile, and a 1 h churn rate can never reach a threshold set for a month. In both cases
// the tile keeps its value and says why it is not judged (state 'unjudged' and a note).
import { WINDOW_LABELS, type WindowId } from '../../shared/format';
import type { Thresholds, TileState } from '../../shared/live-events';
import type { MetricDefinition, MetricInputs, Sample } from './definitions';

/**
 * Fewest observations (ratings, solved tickets, customers at the start…) a metric's value needs before
 * its thresholds judge it. At 10 a single observation moves a share by 10 points at most, the width of
 * the gap between most warn and critical thresholds; below it one unhappy customer decides the colour.
 */
export const MIN_SAMPLE = 10;

export function thresholdState(v: number | null, t: Thresholds | null, direction: 'up' | 'down'): TileState {
	if (v === null) return 'nodata';
	if (!t) return 'ok';
	if (direction === 'up') return v <= t.critical ? 'critical' : v <= t.warn ? 'warn' : 'ok';
	return v >= t.critical ? 'critical' : v >= t.warn ? 'warn' : 'ok';
}

export interface Verdict {
	state: TileState;
	/** Why the tile gives no verdict; null when it gives one. */
	note: string | null;
}

/**
 * The tile's state for its value over `window`, given its underlying counts (tileCounts): no data, no
 * verdict (with the reason: thresholds set for another window, or too few observations) or the
 * thresholds' verdict.
 */
export function tileVerdict(
	m: Pick<MetricDefinition, 'thresholds' | 'direction' | 'sample' | 'thresholdWindow'>,
	value: number | null,
	counts: Readonly<Record<string, number>>,
	window: WindowId
): Verdict {
	const state = thresholdState(value, m.thresholds, m.direction);
	if (state === 'nodata' || !m.thresholds) return { state, note: null };
	if (m.thresholdWindow && m.thresholdWindow !== window)
		return { state: 'unjudged', note: `thresholds are set for ${WINDOW_LABELS[m.thresholdWindow]}` };
	const n = sampleSize(m, counts);
	if (n !== null && n < MIN_SAMPLE && m.sample) return { state: 'unjudged', note: tooFewNote(m.sample, n, MIN_SAMPLE) };
	return { state, note: null };
}

/** "too few to judge (3 CSAT ratings; 10 needed)": shared by the tiles and alert rules' own minimum sample. */
export function tooFewNote(sample: Sample, n: number, needed: number): string {
	const what = `${n.toLocaleString('en-GB')} ${n === 1 ? sample.one : sample.many}`;
	return `too few to judge (${what}; ${needed.toLocaleString('en-GB')} needed)`;
}

/** The count a latency histogram's observations appear under in a tile's underlying counts. */
export const HISTOGRAM_COUNT = { frt: 'first_replies_measured', res: 'resolutions_measured' } as const;

/**
 * A tile's underlying counts (Tile.counts): the metric's counters and the count of its latency histogram.
 * Every metric's `sample` is one of them (verdict.test.ts pins it), so the tile's verdict and an alert
 * rule holding only the tile read its sample from the same place.
 */
export function tileCounts(m: Pick<MetricDefinition, 'counters' | 'histogram'>, i: MetricInputs): Record<string, number> {
	const out: Record<string, number> = {};
	if (m.histogram) out[HISTOGRAM_COUNT[m.histogram]] = [...i[m.histogram].values()].reduce((a, b) => a + b, 0);
	for (const k of m.counters) out[k] = i.c[k] ?? 0;
	return out;
}

/** How many observations the metric's value rests on, read from its tile's counts; null for a metric that declares none. */
export function sampleSize(m: Pick<MetricDefinition, 'sample'>, counts: Readonly<Record<string, number>>): number | null {
	const of = m.sample?.of;
	if (!of) return null;
	return counts[of === 'frt' || of === 'res' ? HISTOGRAM_COUNT[of] : of] ?? 0;
}
