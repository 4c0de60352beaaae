// Distinct-customer counters (active, buyers, repeat buyers, tenure, churn) from the customer
// activity rollups: whole UTC days from rollup_customer_day, window edges from rollup_customer_minute,
// so a window is exact to the minute while its cost follows its length, not the history.
import type { Db, Params } from '../db';
import type { Counters } from './definitions';
import { SCOPE_FILTER, type Scope } from './rollup-queries';
import { VARIANTS } from './rollup-activity';
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

/** The rollup_activity pointer and rollup_activity_last kind that match the scope's filter. */
function variantFor(scope: Scope) {
	const v = VARIANTS.find((x) => (x.ch === 'channel') === (scope.channel !== null) && (x.seg === 'segment') === (scope.segment !== null));
	if (!v) throw new Error('no activity pointer for this scope');
	return v;
}

type Bind = Record<string, string | number | null>;

/**
 * Churn counters for each window [from, to) with horizon H (at least the window): active_at_start =
 * customers with activity in [from − H, from); lost by inactivity = activity in [from − H, to − H) and
 * none in [to − H, to), i.e. active(from − H, to) − active(to − H, to); lost by cancellation = a
 * cancellation in the window; either = the union (cancellers also lost by inactivity counted once).
 *
 * active(a, b) = (customers whose latest activity is at or after a, from rollup_activity_last)
 * − (records at or after b whose predecessor in the scope is before a: customers whose first activity
 * from a on comes only at b or later). Both reads are bounded by the number of customers and the
 * records since the earliest window start, not by the horizon or the history. Reads the links as they
 * are: callers bring them up to date first (activityReady in tiles.ts, catchUpActivity).
 */
export async function loadChurnCounters(db: Db, windows: Interval[], scope: Scope, opts: ChurnOptions): Promise<Counters[]> {
	const v = variantFor(scope);
	const spans: [number, number][] = [];
	const span = (a: number, b: number) => {
		const i = spans.findIndex(([x, y]) => x === a && y === b);
		if (i >= 0) return i;
		spans.push([a, b]);
		return spans.length - 1;
	};
	const parts = windows.map((w, i) => {
		const [f, t] = [w.from.getTime(), w.to.getTime()];
		const h = Math.max(opts.inactivityDays * DAY, t - f);
		return { start: span(f - h, f), wide: span(f - h, t), recent: span(t - h, t), i };
	});
	const p: Bind = { ...scopeParams(scope), kind: v.kind, gmin: ts(new Date(Math.min(...spans.map((s) => s[1])))) };
	spans.forEach(([a, b], j) => {
		p[`a${j}`] = ts(new Date(a));
		p[`b${j}`] = ts(new Date(b));
	});
	const from = (j: number) => `minute >= $a${j}::TIMESTAMP`;
	const late = (j: number) => `minute >= $b${j}::TIMESTAMP AND (p IS NULL OR p < $a${j}::TIMESTAMP)`;
	// Written out inline, not as CTEs: a CTE read twice is materialized, copying every row it holds.
	const l = `(SELECT customer_id, minute FROM rollup_activity_last WHERE kind = $kind
		AND ($channel::TEXT IS NULL OR channel = $channel::TEXT) AND ($segment::TEXT IS NULL OR segment = $segment::TEXT))`;
	const g = `(SELECT customer_id, minute, ${v.col} AS p FROM rollup_activity WHERE minute >= $gmin::TIMESTAMP AND ${SCOPE_FILTER})`;
	const aggs = [
		`(SELECT ${spans.map((_, j) => `count(*) FILTER (WHERE ${from(j)})::DOUBLE AS f${j}`).join(', ')} FROM ${l})`,
		`(SELECT ${spans.map((_, j) => `count(*) FILTER (WHERE ${late(j)})::DOUBLE AS g${j}`).join(', ')} FROM ${g})`
	];
	const cancels = opts.lostBy !== 'inactivity';
	if (cancels) {
		const x = `(SELECT DISTINCT k, customer_id FROM (${activityUnion(windows, p)}) WHERE cancels > 0)`;
		aggs.push(`(SELECT ${parts.map(({ i }) => `list(customer_id) FILTER (WHERE k = ${i}) AS x${i}`).join(', ')} FROM ${x})`);
	}
	const r = await db.one<Record<string, number | string[] | null>>(`SELECT * FROM ${aggs.join(' CROSS JOIN ')}`, p as Params);
	const cancellers = parts.map(({ i }) => (r?.[`x${i}`] as string[] | null) ?? []);
	const overlap =
		opts.lostBy === 'either' && cancellers.some((c) => c.length) ? await loadOverlap(db, parts, cancellers, p, l, g) : {};
	const both = (i: number, k: string) => overlap[`${k}_${i}`] ?? 0;
	const n = (k: string) => Number(r?.[k] ?? 0);
	const active = (j: number) => n(`f${j}`) - n(`g${j}`);
	return parts.map(({ start, wide, recent, i }) => {
		const inactive = active(wide) - active(recent);
		const cancelled = cancellers[i].length;
		// Cancellers also lost by inactivity: active in the wide span, not in the recent one.
		const twice = both(i, `f${wide}`) - both(i, `g${wide}`) - (both(i, `f${recent}`) - both(i, `g${recent}`));
		const lost = opts.lostBy === 'inactivity' ? inactive : opts.lostBy === 'cancellation' ? cancelled : cancelled + inactive - twice;
		return { active_at_start: active(start), lost_customers: lost };
	});
}

/**
 * The two reads of loadChurnCounters restricted to each window's cancellers (few; passed as lists, so
 * JSON lists, so the scan filters by them instead of hashing every record since the earliest window start).
 */
async function loadOverlap(
	db: Db,
	parts: { wide: number; recent: number; i: number }[],
	cancellers: string[][],
	base: Bind,
	l: string,
	g: string
): Promise<Record<string, number>> {
	const p: Params = { channel: base.channel, segment: base.segment, kind: base.kind, gmin: base.gmin };
	p.ids = JSON.stringify([...new Set(cancellers.flat())]);
	for (const { wide, recent, i } of parts) {
		p[`x${i}`] = JSON.stringify(cancellers[i]);
		for (const j of [wide, recent]) [p[`a${j}`], p[`b${j}`]] = [base[`a${j}`], base[`b${j}`]];
	}
	const x = parts.map(({ i }) => `SELECT ${i} AS k, unnest(from_json($x${i}::VARCHAR, '["VARCHAR"]')) AS customer_id`).join(' UNION ALL ');
	const per = (fn: string, pre: string) =>
		parts.flatMap(({ wide, recent, i }) =>
			[wide, recent].map((j) => `count(*) FILTER (WHERE k = ${i} AND ${fn.replaceAll('$J', String(j))})::DOUBLE AS ${pre}${j}_${i}`)
		);
	const mine = (src: string) => `(SELECT * FROM ${src} WHERE list_contains(from_json($ids::VARCHAR, '["VARCHAR"]'), customer_id))`;
	const r = await db.one<Record<string, number>>(
		`WITH x AS (${x})
		SELECT * FROM
		(SELECT ${per('minute >= $a$J::TIMESTAMP', 'f').join(', ')} FROM (SELECT x.k, l.minute FROM x JOIN ${mine(l)} l USING (customer_id)))
		CROSS JOIN
		(SELECT ${per('minute >= $b$J::TIMESTAMP AND (p IS NULL OR p < $a$J::TIMESTAMP)', 'g').join(', ')}
			FROM (SELECT x.k, g.minute, g.p FROM x JOIN ${mine(g)} g USING (customer_id)))`,
		p
	);
	return r ?? {};
}
