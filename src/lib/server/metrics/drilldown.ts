// One metric in depth: its series over the window (per bin, or trailing windows for the distinct-
// customer metrics: trailing-history.ts), the same metric broken down by channel and by segment, and
// the counts behind it. Built from tile sets, so it agrees with the tiles exactly.
import type { Db } from '../db';
import { CHANNELS } from '../../shared/events';
import type { Tile, TileScope } from '../../shared/live-events';
import { findMetric, type MetricDefinition, type MetricSource } from './definitions';
import { listSegments } from './segments';
import { computeTileSet, DEFAULT_CHURN, type TileQuery } from './tiles';
import { thresholdState } from './verdict';
import { hasTrailingHistory, loadTrailingHistory, TRAILING_POINTS } from './trailing-history';
import { loadRiskChart } from './risk-chart';
import { windowBounds } from './windows';

export interface BreakdownRow {
	key: string;
	value: number | null;
	state: Tile['state'];
	/** Why the row is not judged (state 'unjudged'), e.g. too few ratings in the segment; null otherwise. */
	note: string | null;
	counts: Record<string, number>;
}

/** What the channel breakdown's value column shows when it is not the metric itself. */
export interface ChannelMeaning {
	/** Heading of the value column. */
	valueLabel: string;
	/** Said under the table. */
	note: string;
	/** Labels of the row counts (by counter name). */
	countLabels: Record<string, string>;
}

/** How to read the chart. */
export type DrilldownSeries =
	| { kind: 'bins'; binMs: number }
	/** Each point is the metric over a window as long as the page's, ending at the point. */
	| { kind: 'trailing'; stepMs: number }
	/**
	 * The at-risk snapshots: each point is the metric as it read at that moment, from the churn score history.
	 * allChannels: a channel filter is set, which the scores do not split (a score is a customer's).
	 */
	| { kind: 'moments'; stepMs: number; allChannels: boolean }
	/** An at-risk snapshot whose score history has no earlier point yet: recorded from `recordedFrom` (null: nothing yet). */
	| { kind: 'awaiting'; stepMs: number; recordedFrom: string | null }
	/** No chart, and why (figures still catching up). */
	| { kind: 'none'; note: string };

export interface Drilldown {
	tile: Tile;
	from: string;
	to: string;
	/** Bin start times (kind bins), trailing-window end times (kind trailing) or moments (kind moments), oldest first. */
	points: { at: string; value: number | null }[];
	series: DrilldownSeries;
	byChannel: BreakdownRow[];
	/** null: the rows are the metric for each channel, judged by its thresholds. */
	channelMeaning: ChannelMeaning | null;
	bySegment: BreakdownRow[];
}

export type DrilldownResult = { ok: true; value: Drilldown } | { ok: false; error: string };

const row = (key: string, t: Tile | undefined): BreakdownRow => ({
	key,
	value: t?.value ?? null,
	state: t?.state ?? 'nodata',
	note: t?.state === 'unjudged' ? t.note : null,
	counts: t?.counts ?? {}
});

// Churn with a channel filter counts customers who stopped using that channel (a customer active on
// chat and web who keeps only web is lost "in chat"): true per channel, but not a churn rate, so the
// channel rows are labelled for what they are and not judged by the churn thresholds (they summed to
// 17 times the customers actually lost on the demo).
const CHANNEL_MEANING: Partial<Record<MetricSource, ChannelMeaning>> = {
	churn: {
		valueLabel: 'Stopped using the channel',
		note:
			'Of the customers who used the channel before the window, the share with no activity on it for the inactivity horizon (or who cancelled). ' +
			'A customer who moves from one channel to another counts here without being lost, so these rows do not add up to the churn rate and are not judged by its thresholds.',
		countLabels: { lost_customers: 'stopped', active_at_start: 'users at start' }
	}
};

// Repeat purchases per channel count a customer's purchases on that channel only: one who buys once on the
// web and once in the app repeats overall but on neither channel, so every channel row reads far below
// the whole (all "Critical" on the demo) and the overall thresholds do not apply to them.
const CHANNEL_MEANING_BY_METRIC: Partial<Record<string, ChannelMeaning>> = {
	repeat_purchase_rate: {
		valueLabel: 'Repeat purchases on the channel',
		note:
			'Of the customers who bought on the channel in the window, the share who bought there at least twice. ' +
			'A customer who buys once on each of two channels repeats overall but on neither, so these rows read below the overall rate and are not judged by its thresholds.',
		countLabels: { repeat_buyers: 'repeat buyers on it', buyers: 'buyers on it' }
	}
};

/** What the metric's channel rows mean when they are not the metric per channel; null when they are. */
const channelMeaningOf = (m: MetricDefinition): ChannelMeaning | null =>
	CHANNEL_MEANING_BY_METRIC[m.id] ?? CHANNEL_MEANING[m.source] ?? null;

/** Channel rows the metric cannot have (a churn score belongs to a customer, not to a channel). */
const NO_CHANNEL_ROWS: Partial<Record<MetricSource, string>> = {
	risk: 'No breakdown by channel: a churn score belongs to a customer, not to one of their channels.'
};

/** One after the other: with all rows at once, DuckDB's threads fought over the cores and each read took longer. */
async function inTurn<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
	const out: T[] = [];
	for (const j of jobs) out.push(await j());
	return out;
}

export async function computeDrilldown(
	db: Db,
	metricId: string,
	scope: TileScope,
	extra: Pick<TileQuery, 'now' | 'churn' | 'risk'> = {}
): Promise<DrilldownResult> {
	const m = findMetric(metricId);
	if (!m) return { ok: false, error: `unknown metric ${metricId}` };
	// The given risk counters are the scope's segment's: the tile's, not the segment rows'.
	const { risk, ...shared } = extra;
	const base = { ...shared, window: scope.window, metrics: [m.id] };
	const row1 = { ...base, currentOnly: true };
	const b = windowBounds(scope.window, extra.now);
	const segments = await listSegments(db);
	const noChannels = NO_CHANNEL_ROWS[m.source];
	// The tile, its history, the channel rows and the segment rows side by side; rows in turn within each.
	const [set, history, riskChart, byChannel, bySegment] = await Promise.all([
		computeTileSet(db, { ...base, risk, channel: scope.channel, segment: scope.segment, trailingSparklines: false }),
		hasTrailingHistory(m)
			? loadTrailingHistory(db, m, scope, { window: scope.window, now: extra.now, churn: extra.churn ?? DEFAULT_CHURN })
			: null,
		m.source === 'risk' ? loadRiskChart(db, m, scope.segment, { window: scope.window, now: extra.now }) : null,
		noChannels
			? []
			: inTurn(
					CHANNELS.map((c) => async () => {
						const r = row(c, (await computeTileSet(db, { ...row1, channel: c, segment: scope.segment })).tiles[0]);
						return channelMeaningOf(m) ? { ...r, state: thresholdState(r.value, null, m.direction), note: null } : r;
					})
				),
		inTurn(
			segments.slice(0, 50).map((seg) => async () => row(seg, (await computeTileSet(db, { ...row1, channel: scope.channel, segment: seg })).tiles[0]))
		)
	]);
	const tile = set.tiles[0];
	let points: Drilldown['points'] = [];
	let series: DrilldownSeries;
	if (riskChart) {
		const stepMs = (b.to.getTime() - b.from.getTime()) / TRAILING_POINTS[scope.window];
		if (riskChart.kind === 'points') {
			points = [...riskChart.earlier, { at: b.to.toISOString(), value: tile.value }];
			series = { kind: 'moments', stepMs, allChannels: scope.channel !== null };
		} else if (riskChart.kind === 'young') series = { kind: 'awaiting', stepMs, recordedFrom: riskChart.recordedFrom };
		else
			series = {
				kind: 'none',
				note: `The churn score history gives ${m.label.toLowerCase()} no point in this window: the scores then came from model versions no longer in the registry, or no customer here held one.`
			};
	} else if (history) {
		const len = b.to.getTime() - b.from.getTime();
		if (history.ok) {
			points = history.value;
			series = { kind: 'trailing', stepMs: len / points.length };
		} else series = { kind: 'none', note: history.error };
	} else {
		points = tile.sparkline.map((v, i) => ({ at: new Date(b.from.getTime() + i * b.binMs).toISOString(), value: v }));
		series = { kind: 'bins', binMs: b.binMs };
	}
	return {
		ok: true,
		value: {
			tile,
			from: set.from,
			to: set.to,
			points,
			series,
			byChannel,
			channelMeaning: noChannels
				? { valueLabel: m.label, note: noChannels, countLabels: {} }
				: channelMeaningOf(m),
			bySegment
		}
	};
}
