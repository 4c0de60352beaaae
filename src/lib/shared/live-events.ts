// The one typed map of every live event (DESIGN §7). The server's hub and SSE endpoint and the
// browser's stream client use only these names and payloads.
import type { Direction, MetricUnit, WindowId } from './format';
import type { FiringAlert } from './firing-alerts';
import type { BacktestProgressJson } from './backtest-json';

/**
 * 'unjudged': a value the thresholds do not judge (too few observations, or thresholds set for another
 * window); the tile's note says which (metrics/verdict.ts).
 */
export type TileState = 'ok' | 'warn' | 'critical' | 'nodata' | 'unjudged';

export interface Thresholds {
	warn: number;
	critical: number;
}

export interface Tile {
	id: string;
	label: string;
	unit: MetricUnit;
	direction: Direction;
	value: number | null;
	previous: number | null;
	/** value − previous (percentage points for percent metrics). */
	delta: number | null;
	state: TileState;
	thresholds: Thresholds | null;
	/** Evenly spaced points across the window, oldest first; null where a bin has no data. */
	sparkline: (number | null)[];
	secondary: { label: string; value: number | null; unit: MetricUnit } | null;
	/** The counters behind the value (drill-down "underlying counts"). */
	counts: Record<string, number>;
	/** Why the tile shows no data, or no verdict (state 'unjudged'); what its value covers ("current snapshot"). */
	note: string | null;
}

export interface TileSet {
	window: WindowId;
	channel: string | null;
	segment: string | null;
	/** Window [from, to) as ISO strings. */
	from: string;
	to: string;
	computedAt: string;
	/** Rollup version the set was computed from (changes after every committed ingest batch). */
	version: number;
	/** Newest event time in the rollups, ISO, or null when there is no data. */
	lastEventAt: string | null;
	tiles: Tile[];
}

/** Tile sets for the scopes subscribers asked for (keyed by scopeKey). */
export interface TilesPayload {
	sets: Record<string, TileSet>;
}

export interface AlertPayload {
	ruleId: string;
	name: string;
	state: 'normal' | 'pending' | 'firing' | 'recovering' | 'nodata' | 'error';
	previousState: string | null;
	metric: string | null;
	customerId: string | null;
	value: number | null;
	at: string;
}

/** Every metric alert rule firing now (empty when none): sent when the list changes, and on connect. */
export interface FiringPayload {
	alerts: FiringAlert[];
}

export interface WorkItemPayload {
	id: string;
	customerId: string;
	status: 'open' | 'claimed' | 'snoozed' | 'resolved';
	assignee: string | null;
	priority: number | null;
	at: string;
	/**
	 * Items in state open (nobody has claimed them) once this change and those published with it are
	 * committed: the count beside "Alerts" in the navigation follows it.
	 */
	openItems: number;
}

/** One frame per scoring round (not per customer: a round may re-score thousands). */
export interface ScorePayload {
	modelVersion: string;
	at: string;
	scores: { customerId: string; probability: number; band: 'low' | 'medium' | 'high' }[];
}

export interface TrainProgressPayload {
	runId: string;
	/** done, failed and cancelled end a run; cancelled's message names who cancelled it. */
	phase: 'features' | 'training' | 'calibrating' | 'evaluating' | 'done' | 'failed' | 'cancelled';
	epoch: number | null;
	epochs: number | null;
	loss: number | null;
	valLoss: number | null;
	message: string | null;
}

/**
 * The background recompute of stored experience debt after tolerance settings were saved
 * (alerts/debt-recompute-job.ts): one frame when it starts, after each chunk of customers, and at the end.
 */
export interface DebtRecomputePayload {
	state: 'running' | 'done' | 'failed';
	/** The segments being recomputed; null = every customer (the '*' defaults were saved). */
	segments: string[] | null;
	/** Customers recomputed so far, of total (null until counted). */
	done: number;
	total: number | null;
	/** Why it failed; null otherwise. */
	message: string | null;
	/** A save of the same settings during this run sent it back to the first customer (progress went down). */
	restarted: boolean;
	/** Segments saved meanwhile, recomputed after this one ('*' = every customer). */
	waiting: string[];
	at: string;
}

export interface HeartbeatPayload {
	at: string;
	/** Sequence of the newest resumable event the server has sent (a client can tell it missed some). */
	version: number;
}

export interface LiveEventMap {
	tiles: TilesPayload;
	alert: AlertPayload;
	firing: FiringPayload;
	workitem: WorkItemPayload;
	score: ScorePayload;
	'train-progress': TrainProgressPayload;
	'backtest-progress': BacktestProgressJson;
	'debt-recompute': DebtRecomputePayload;
	heartbeat: HeartbeatPayload;
}

export type LiveEventName = keyof LiveEventMap;
export const LIVE_EVENT_NAMES: readonly LiveEventName[] = [
	'tiles',
	'alert',
	'firing',
	'workitem',
	'score',
	'train-progress',
	'backtest-progress',
	'debt-recompute',
	'heartbeat'
];

export interface TileScope {
	window: WindowId;
	channel: string | null;
	segment: string | null;
}

export function scopeKey(s: TileScope): string {
	return `${s.window}|${s.channel ?? ''}|${s.segment ?? ''}`;
}
