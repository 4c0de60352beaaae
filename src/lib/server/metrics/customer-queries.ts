// Distinct-customer counters (active, buyers, repeat buyers, tenure, churn) from the customer
// activity rollups: whole UTC days from rollup_customer_day, window edges from rollup_customer_minute,
// so a window is exact to the minute while its cost follows its length, not the history.
import type { Db, Params } from '../db';
import type { Counters } from './definitions';
import { SCOPE_FILTER, type Scope } from './rollup-queries';
import { ceilDay, floorDay, ts } from './windows';

interface Interval {
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

/** Active customers, buyers, repeat buyers and summed tenure (days) for [from, to). */
export async function loadActivityCounters(db: Db, from: Date, to: Date, scope: Scope): Promise<Counters> {
	const p = scopeParams(scope);
	const src = activityUnion([{ from, to }], p);
	p.end = ts(to);
	const r = await db.one<Record<string, number | null>>(
		`WITH a AS (
			SELECT customer_id, sum(acts) AS acts, sum(purchases) AS purchases FROM (${src}) GROUP BY customer_id
		)
		SELECT count(*) FILTER (WHERE a.acts > 0)::DOUBLE AS active_customers,
			count(*) FILTER (WHERE a.purchases >= 1)::DOUBLE AS buyers,
			count(*) FILTER (WHERE a.purchases >= 2)::DOUBLE AS repeat_buyers,
			coalesce(sum(CASE WHEN a.acts > 0 THEN greatest(0, epoch_ms($end::TIMESTAMP)
				- epoch_ms(coalesce(c.signed_up_at, rc.first_at, $end::TIMESTAMP))) END), 0)::DOUBLE / ${DAY} AS tenure_days_sum
		FROM a LEFT JOIN rollup_customer rc ON rc.customer_id = a.customer_id
		LEFT JOIN customers c ON c.customer_id = a.customer_id`,
		p as Params
	);
	return {
		active_customers: r?.active_customers ?? 0,
		buyers: r?.buyers ?? 0,
		repeat_buyers: r?.repeat_buyers ?? 0,
		tenure_days_sum: r?.tenure_days_sum ?? 0
	};
}

export type LostBy = 'either' | 'cancellation' | 'inactivity';

export interface ChurnOptions {
	/** A customer with no activity for this long counts as lost when the horizon expires. */
	inactivityDays: number;
	lostBy: LostBy;
}

/**
 * Churn counters for [from, to): active_at_start = customers with activity in [from − H, from);
 * lost = cancelled in the window, and/or whose inactivity horizon expired in the window (last
 * activity in [from − H, to − H), none in [to − H, to)). Clamped so the horizon is at least the window.
 */
export async function loadChurnCounters(
	db: Db,
	from: Date,
	to: Date,
	scope: Scope,
	opts: ChurnOptions
): Promise<Counters> {
	const h = Math.max(opts.inactivityDays * DAY, to.getTime() - from.getTime());
	const sH = new Date(from.getTime() - h);
	const eH = new Date(to.getTime() - h);
	// Intervals: 0 = [from−H, to−H) (candidates), 1 = [to−H, from) (still active at start), 2 = window.
	const p = scopeParams(scope);
	const src = activityUnion(
		[
			{ from: sH, to: eH },
			{ from: eH, to: from },
			{ from, to }
		],
		p
	);
	const inactivity = 'bool_or(k = 0 AND acts > 0) AND NOT bool_or(k IN (1, 2) AND acts > 0)';
	const cancelled = 'bool_or(k = 2 AND cancels > 0)';
	const lost =
		opts.lostBy === 'cancellation' ? cancelled : opts.lostBy === 'inactivity' ? inactivity : `(${cancelled}) OR (${inactivity})`;
	const r = await db.one<{ active_at_start: number; lost_customers: number }>(
		`WITH f AS (
			SELECT customer_id, bool_or(k IN (0, 1) AND acts > 0) AS at_start, ${lost} AS lost
			FROM (${src}) GROUP BY customer_id
		)
		SELECT count(*) FILTER (WHERE at_start)::DOUBLE AS active_at_start,
			count(*) FILTER (WHERE lost)::DOUBLE AS lost_customers FROM f`,
		p as Params
	);
	return { active_at_start: r?.active_at_start ?? 0, lost_customers: r?.lost_customers ?? 0 };
}
