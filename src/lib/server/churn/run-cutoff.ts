// A run's cutoff and horizon checked against the data before the run is recorded: the one check behind the
// train and backtest APIs and `cx train` / `cx backtest`, so a cutoff one of them refuses the others refuse
// too, in the same words, and bad input never leaves a failed run in the history.
import type { Db } from '../db';
import { cutoffRange, latestCutoffMs, longestHorizonDays, MIN_SNAPSHOT_HISTORY_DAYS, snapshotStepDays, type CutoffUse } from '../../shared/cutoff-range';
import { DAY_MS, isoDay } from './definitions';
import { checkLabelWindow, NO_EVENTS } from './label-window';
import type { FieldProblem } from './models-overview-requests';

/** The first and last event times (ms); null without events. */
export async function eventSpan(db: Db): Promise<{ firstEventMs: number; lastEventMs: number } | null> {
	const r = await db.one<{ first_ms: number | null; last_ms: number | null }>(
		'SELECT CAST(epoch_ms(min(occurred_at)) AS DOUBLE) AS first_ms, CAST(epoch_ms(max(occurred_at)) AS DOUBLE) AS last_ms FROM events'
	);
	if (r?.first_ms == null || r.last_ms == null) return null;
	return { firstEventMs: r.first_ms, lastEventMs: r.last_ms };
}

/** `cutoff`: the day checked (the one asked for, or the default). */
export type RunCutoffCheck = { ok: true; cutoff: Date } | { ok: false; problem: FieldProblem };

/** Where each use's fit sits, in the words of its messages (the backtest's are the API's since it had them). */
const WORDING: Record<CutoffUse, { tooShort: (step: number) => string; tooEarly: (h: number, step: number) => string; labels: string }> = {
	backtest: {
		tooShort: () => `the model is fitted at the cutoff minus the horizon on at least ${MIN_SNAPSHOT_HISTORY_DAYS} days of history`,
		tooEarly: (h) => `the model is fitted at the cutoff minus ${h} days and needs ${MIN_SNAPSHOT_HISTORY_DAYS} days of history before its first training snapshot`,
		labels: 'backtest'
	},
	train: {
		tooShort: (step) => `the model's first training snapshot is ${step} days before the cutoff, on at least ${MIN_SNAPSHOT_HISTORY_DAYS} days of history`,
		tooEarly: (_h, step) => `the model's first training snapshot is ${step} days before the cutoff and needs ${MIN_SNAPSHOT_HISTORY_DAYS} days of history before it`,
		labels: 'validation'
	}
};

/**
 * `cutoff` unset: the default of the use (a backtest's latest workable cutoff; training's last event day
 * minus the horizon, minus one day, as trainChallenger's default validation snapshot). Problems name the
 * request's field: `horizon_days` when no cutoff works for it (or none was asked for), else `cutoff`.
 */
export async function checkRunCutoff(db: Db, o: { use: CutoffUse; cutoff?: Date; horizonDays: number; now?: number }): Promise<RunCutoffCheck> {
	const now = o.now ?? Date.now();
	const { horizonDays: h, use } = o;
	const span = await eventSpan(db);
	if (!span) return { ok: false, problem: { field: 'cutoff', message: NO_EVENTS } };
	const range = cutoffRange({ ...span, nowMs: now, horizonDays: h, use });
	const first = isoDay(new Date(span.firstEventMs));
	const last = isoDay(new Date(span.lastEventMs));
	const step = snapshotStepDays(h);
	if (!range) {
		const longest = longestHorizonDays({ ...span, nowMs: now, use });
		return {
			ok: false,
			problem: {
				field: 'horizon_days',
				message:
					`the data runs from ${first} to ${last}, too short for a ${h}-day horizon: ${WORDING[use].tooShort(step)}, ` +
					'and churn is judged on the horizon after the cutoff; ' +
					(longest > 0 ? `the longest horizon this data allows is ${longest} days` : 'no horizon fits yet')
			}
		};
	}
	const cutoff =
		o.cutoff ??
		(use === 'backtest' ? new Date(latestCutoffMs(span.lastEventMs, now, h)) : new Date(Math.floor((span.lastEventMs - h * DAY_MS) / DAY_MS) * DAY_MS - DAY_MS));
	const field = o.cutoff ? 'cutoff' : 'horizon_days';
	const day = isoDay(cutoff);
	if (day < range.earliest)
		return {
			ok: false,
			problem: {
				field,
				message: `${day} is too early for a ${h}-day horizon: ${WORDING[use].tooEarly(h, step)} (events start ${first}); the cutoffs that work are ${range.earliest} to ${range.latest}`
			}
		};
	// A cutoff past range.latest: the label-window check says why (the last event, today not being over).
	const covered = await checkLabelWindow(db, { asOf: new Date(cutoff.getTime() + DAY_MS), horizonDays: h, labels: WORDING[use].labels, now });
	if (!covered.ok) return { ok: false, problem: { field, message: covered.error } };
	return { ok: true, cutoff };
}
