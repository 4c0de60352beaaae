// Which cutoffs a backtest can use, for the server (label-window.ts, the backtest job's checks and defaults)
// and the Models page's form alike, so the form never offers a cutoff the server then refuses or fails.
// Days are UTC; a cutoff T means features up to the end of day T, the fit at T + 1 day − H, and churn
// judged on [T + 1 day, T + 1 day + H).

export const DAY_MS = 86_400_000;

/** A training snapshot needs this much history before it (fit.ts, minHistoryDays). */
export const MIN_SNAPSHOT_HISTORY_DAYS = 28;

/** Training snapshots are this far apart (fit.ts): 28 days, or the horizon when shorter. */
export const snapshotStepDays = (horizonDays: number): number => Math.min(28, horizonDays);

const dayOf = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The last day whose events are all in: the last event's day, unless that day is today (UTC) — a live
 * system's today is not over, so a label window ending with it would keep changing as events arrive.
 * A finished history (Online Retail ends at 12:50 on its last day) counts its last day.
 */
export function lastObservedDayMs(lastEventMs: number, nowMs: number): number {
	const last = dayOf(lastEventMs);
	return last >= dayOf(nowMs) ? last - DAY_MS : last;
}

/** The latest cutoff whose label window [T + 1 day, T + 1 day + H) ends by the last observed day's end. */
export function latestCutoffMs(lastEventMs: number, nowMs: number, horizonDays: number): number {
	return lastObservedDayMs(lastEventMs, nowMs) - horizonDays * DAY_MS;
}

/**
 * What a cutoff is for: a backtest fits at T + 1 day − H and judges the horizon after T; training a
 * challenger fits at T + 1 day itself (its validation snapshot) and judges that snapshot on the horizon after T.
 */
export type CutoffUse = 'backtest' | 'train';

/**
 * The earliest cutoff whose fit (at T + 1 day − H for a backtest, T + 1 day for training) has a training
 * snapshot one step before it with MIN_SNAPSHOT_HISTORY_DAYS of events before that:
 * T + 1 day − H − step ≥ first event + 28 days (without the − H when training).
 */
export function earliestCutoffMs(firstEventMs: number, horizonDays: number, use: CutoffUse = 'backtest'): number {
	const fitBack = use === 'backtest' ? horizonDays : 0;
	const need = firstEventMs + (MIN_SNAPSHOT_HISTORY_DAYS + fitBack + snapshotStepDays(horizonDays)) * DAY_MS - DAY_MS;
	const day = dayOf(need);
	return day < need ? day + DAY_MS : day;
}

/**
 * The last day an exclusive end includes. For an as-of instant (features are the events before it) that
 * is the cutoff it stands for: 2026-11-07T00:00Z is cutoff 2026-11-06, the day a backtest or `--cutoff` takes.
 */
export function lastDayBefore(end: string | number | Date): string {
	return iso(new Date(end).getTime() - 1);
}

/** "validation cutoff 2026-11-06 (features up to that day)": a version's validation split, as a cutoff can be typed again. */
export const validationCutoffText = (validationAsOf: string | number | Date): string => `validation cutoff ${lastDayBefore(validationAsOf)} (features up to that day)`;

export interface CutoffRange {
	/** YYYY-MM-DD */
	earliest: string;
	latest: string;
}

/** The cutoffs that work for a horizon, or null when the data is too short for it. */
export function cutoffRange(o: { firstEventMs: number; lastEventMs: number; nowMs: number; horizonDays: number; use?: CutoffUse }): CutoffRange | null {
	const earliest = earliestCutoffMs(o.firstEventMs, o.horizonDays, o.use);
	const latest = latestCutoffMs(o.lastEventMs, o.nowMs, o.horizonDays);
	return earliest <= latest ? { earliest: iso(earliest), latest: iso(latest) } : null;
}

/** The longest horizon with at least one workable cutoff (0 when none). */
export function longestHorizonDays(o: { firstEventMs: number; lastEventMs: number; nowMs: number; use?: CutoffUse }): number {
	let h = 0;
	while (cutoffRange({ ...o, horizonDays: h + 1 })) h++;
	return h;
}
