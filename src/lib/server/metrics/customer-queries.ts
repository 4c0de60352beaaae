// Distinct-customer counters (active, buyers, repeat buyers, tenure, churn) from the customer
// activity rollups: whole UTC days from rollup_customer_day, window edges from rollup_customer_minute,
// so a window is exact to the minute while its cost follows its length, not the history.
import type { Db, Params } from '../db';
import type { Counters } from './definitions';
import { SCOPE_FILTER, type Scope } from './rollup-queries';
import { ceilDay, floorDay, ts } from './windows';

export interface Interval {
	from: Date;
	to: Date;
}

const DAY = 86_400_000;

/** SQL yielding (k, customer_id, acts, purchases, cancels) for every interval k, binding into `p`. */
function activityUnion(intervals: Interval[], p: Record<string, string | number | null>): string {
	const parts: string[] = [];
	intervals.forEach((iv, k) => {
		if (iv.to <= iv.from) return;
		const ds = ceilDay(iv.from);
		const de = floorDay(iv.to);
		p[`f${k}`] = ts(iv.from);
		p[`t${k}`] = ts(iv.to);
		if (de > ds) {
			p[`ds${k}`] = ts(ds).slice(0, 10);
			p[`de${k}`] = ts(de).slice(0, 10);
			parts.push(`SELECT ${k} AS k, customer_id, acts, purchases, cancels FROM rollup_customer_day
				WHERE day >= $ds${k}::DATE AND day < $de${k}::DATE AND ${SCOPE_FILTER}`);
			parts.push(`SELECT ${k} AS k, customer_id, acts, purchases, cancels FROM rollup_customer_minute
				WHERE minute >= $f${k}::TIMESTAMP AND minute < $t${k}::TIMESTAMP
				AND (minute < $ds${k}::DATE::TIMESTAMP OR minute >= $de${k}::DATE::TIMESTAMP) AND ${SCOPE_FILTER}`);
		} else {
			parts.push(`SELECT ${k} AS k, customer_id, acts, purchases, cancels FROM rollup_customer_minute
				WHERE minute >= $f${k}::TIMESTAMP AND minute < $t${k}::TIMESTAMP AND ${SCOPE_FILTER}`);
		}
	});
	if (!parts.length) return 'SELECT 0 AS k, NULL::TEXT AS customer_id, 0 AS acts, 0 AS purchases, 0 AS cancels WHERE false';
	return parts.join('\nUNION ALL\n');
}

function scopeParams(scope: Scope): Record<string, string | number | null> {
	return { channel: scope.channel, segment: scope.segment };
}

/**
 * Active customers, buyers, repeat buyers and summed tenure (days) for each of several windows in
 * one query (the tile set asks for the window and its predecessor together).
 */
export async function loadActivityCounters(db: Db, windows: Interval[], scope: Scope): Promise<Counters[]> {
	const p = scopeParams(scope);
	const src = activityUnion(windows, p);
	windows.forEach((w, k) => (p[`end${k}`] = ts(w.to)));
	const endCase = `CASE a.k ${windows.map((_, k) => `WHEN ${k} THEN $end${k}::TIMESTAMP`).join(' ')} END`;
	const rows = await db.all<{ k: number } & Record<string, number | null>>(
		`WITH a AS (
			SELECT k, customer_id, sum(acts) AS acts, sum(purchases) AS purchases FROM (${src}) GROUP BY k, customer_id
		)
		SELECT a.k, count(*) FILTER (WHERE a.acts > 0)::DOUBLE AS active_customers,
			count(*) FILTER (WHERE a.purchases >= 1)::DOUBLE AS buyers,
			count(*) FILTER (WHERE a.purchases >= 2)::DOUBLE AS repeat_buyers,
			coalesce(sum(CASE WHEN a.acts > 0 THEN greatest(0, epoch_ms(${endCase})
				- epoch_ms(coalesce(c.signed_up_at, rc.first_at, ${endCase}))) END), 0)::DOUBLE / ${DAY} AS tenure_days_sum
		FROM a LEFT JOIN rollup_customer rc ON rc.customer_id = a.customer_id
		LEFT JOIN customers c ON c.customer_id = a.customer_id
		GROUP BY a.k`,
		p as Params
	);
	return windows.map((_, k) => {
		const r = rows.find((x) => x.k === k);
		return {
			active_customers: r?.active_customers ?? 0,
			buyers: r?.buyers ?? 0,
			repeat_buyers: r?.repeat_buyers ?? 0,
			tenure_days_sum: r?.tenure_days_sum ?? 0
		};
	});
}

export type LostBy = 'either' | 'cancellation' | 'inactivity';

export interface ChurnOptions {
	/** A customer with no activity for this long counts as lost when the horizon expires. */
	inactivityDays: number;
	lostBy: LostBy;
}

/**
 * Churn counters for each window [from, to) in one query: active_at_start = customers with activity
 * in [from − H, from); lost = cancelled in the window, and/or whose inactivity horizon expired in the
 * window (last activity in [from − H, to − H), none in [to − H, to)). The horizon is at least the window.
 */
export async function loadChurnCounters(db: Db, windows: Interval[], scope: Scope, opts: ChurnOptions): Promise<Counters[]> {
	const intervals: Interval[] = [];
	for (const w of windows) {
		const h = Math.max(opts.inactivityDays * DAY, w.to.getTime() - w.from.getTime());
		const sH = new Date(w.from.getTime() - h);
		const eH = new Date(w.to.getTime() - h);
		// Per window: 3k = [from−H, to−H) candidates, 3k+1 = [to−H, from) still active at start, 3k+2 = the window.
		intervals.push({ from: sH, to: eH }, { from: eH, to: w.from }, { from: w.from, to: w.to });
	}
	const p = scopeParams(scope);
	const src = activityUnion(intervals, p);
	const cols = windows.map((_, i) => {
		const [c, a, w] = [3 * i, 3 * i + 1, 3 * i + 2];
		const inactivity = `(bool_or(k = ${c} AND acts > 0) AND NOT bool_or(k IN (${a}, ${w}) AND acts > 0))`;
		const cancelled = `bool_or(k = ${w} AND cancels > 0)`;
		const lost = opts.lostBy === 'cancellation' ? cancelled : opts.lostBy === 'inactivity' ? inactivity : `(${cancelled} OR ${inactivity})`;
		return `bool_or(k IN (${c}, ${a}) AND acts > 0) AS s${i}, ${lost} AS l${i}`;
	});
	const sums = windows.map((_, i) => `count(*) FILTER (WHERE s${i})::DOUBLE AS s${i}, count(*) FILTER (WHERE l${i})::DOUBLE AS l${i}`);
	const r = await db.one<Record<string, number>>(
		`WITH f AS (SELECT customer_id, ${cols.join(', ')} FROM (${src}) GROUP BY customer_id)
		SELECT ${sums.join(', ')} FROM f`,
		p as Params
	);
	return windows.map((_, i) => ({ active_at_start: r?.[`s${i}`] ?? 0, lost_customers: r?.[`l${i}`] ?? 0 }));
}
