// Whether the data reaches the end of a label window. A customer counts as churned when the window
// shows no activity, so a window that runs past the last event labels nearly everyone a churner:
// prevalence inflated, a model fitted to that noise, and figures that look like a result. Train and
// backtest refuse such a window before any work, naming what would work instead.
import type { Db } from '../db';
import { latestCutoffMs, lastObservedDayMs } from '../../shared/cutoff-range';
import { DAY_MS, isoDay } from './definitions';

export type LabelWindowCheck = { ok: true; lastEventMs: number } | { ok: false; error: string };

export const NO_EVENTS = 'the database has no events: import or stream some first';

/**
 * Labels of the window [asOf, asOf + H) are observed when the last observed day (cutoff-range.ts: the last
 * event's day, or the day before when that is today, still going on) is on or after the window's last day
 * (a finished data set ends during its last day, as Online Retail ends at 12:50 on 2011-12-09).
 * `asOf` is the exclusive end of the features: the cutoff day + 1 day.
 */
export async function checkLabelWindow(
	db: Db,
	o: { asOf: Date; horizonDays: number; labels: string; now?: number }
): Promise<LabelWindowCheck> {
	const row = await db.one<{ last_ms: number | null }>(
		'SELECT CAST(epoch_ms(max(occurred_at)) AS DOUBLE) AS last_ms FROM events'
	);
	const last = row?.last_ms ?? null;
	if (last === null) return { ok: false, error: NO_EVENTS };
	const windowEnd = o.asOf.getTime() + o.horizonDays * DAY_MS;
	const now = o.now ?? Date.now();
	const observed = lastObservedDayMs(last, now);
	if (observed >= windowEnd - DAY_MS) return { ok: true, lastEventMs: last };
	const cutoff = isoDay(new Date(o.asOf.getTime() - DAY_MS));
	const latest = isoDay(new Date(latestCutoffMs(last, now, o.horizonDays)));
	const lastAt = new Date(last).toISOString().slice(0, 16).replace('T', ' ');
	const why =
		observed < Math.floor(last / DAY_MS) * DAY_MS
			? `but the last event is today (${lastAt} UTC) and today is not over: churn in it is not observed yet. `
			: `but the last event is at ${lastAt} UTC: churn after it is not observed. `;
	return {
		ok: false,
		error:
			`the ${o.labels} labels need events up to ${isoDay(new Date(windowEnd - DAY_MS))} (cutoff ${cutoff} + ${o.horizonDays} days) ` +
			why +
			`The latest cutoff that works for a ${o.horizonDays}-day horizon is ${latest}`
	};
}
