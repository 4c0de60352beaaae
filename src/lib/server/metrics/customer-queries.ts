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
	// Per window: c = [from−H, to−H) candidates, a = [to−H, from) still active at start, w = the window.
	const parts = windows.map((w) => {
		const h = Math.max(opts.inactivityDays * DAY, w.to.getTime() - w.from.getTime());
		const sH = w.from.getTime() - h;
		const eH = w.to.getTime() - h;
		return { c: [sH, eH], a: [eH, w.from.getTime()], w: [w.from.getTime(), w.to.getTime()] };
	});
	// The windows' intervals overlap (the previous window's horizon is most of the current one's), so
	// the scan is cut at every interval edge into disjoint segments and each rollup row is read once.
	const edges = [...new Set(parts.flatMap((p) => [...p.c, ...p.a, ...p.w]))].sort((x, y) => x - y);
	const segs: Interval[] = edges.slice(1).map((t, j) => ({ from: new Date(edges[j]), to: new Date(t) }));
	const inside = (iv: number[]) =>
		segs.flatMap((s, j) => (s.to > s.from && s.from.getTime() >= iv[0] && s.to.getTime() <= iv[1] ? [j] : []));
	const any = (ks: number[], col: string) => (ks.length ? `bool_or(k IN (${ks.join(', ')}) AND ${col} > 0)` : 'false');
	const p = scopeParams(scope);
	const src = activityUnion(segs, p);
	const cols = parts.map((iv, i) => {
		const [c, a, w] = [inside(iv.c), inside(iv.a), inside(iv.w)];
		const inactivity = `(${any(c, 'acts')} AND NOT ${any([...a, ...w], 'acts')})`;
		const cancelled = any(w, 'cancels');
		const lost = opts.lostBy === 'cancellation' ? cancelled : opts.lostBy === 'inactivity' ? inactivity : `(${cancelled} OR ${inactivity})`;
		return `${any([...c, ...a], 'acts')} AS s${i}, ${lost} AS l${i}`;
	});
	const sums = windows.map((_, i) => `count(*) FILTER (WHERE s${i})::DOUBLE AS s${i}, count(*) FILTER (WHERE l${i})::DOUBLE AS l${i}`);
	const r = await db.one<Record<string, number>>(
		`WITH f AS (SELECT customer_id, ${cols.join(', ')} FROM (${src}) GROUP BY customer_id)
		SELECT ${sums.join(', ')} FROM f`,
		p as Params
	);
	return windows.map((_, i) => ({ active_at_start: r?.[`s${i}`] ?? 0, lost_customers: r?.[`l${i}`] ?? 0 }));
}
