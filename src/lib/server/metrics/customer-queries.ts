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
	// Written out inline, not as CTEs: a CTE read twice is materialized, copying every row it holds.
	const l = `(SELECT customer_id, minute FROM rollup_activity_last WHERE kind = $kind
		AND ($channel::TEXT IS NULL OR channel = $channel::TEXT) AND ($segment::TEXT IS NULL OR segment = $segment::TEXT))`;
	const g = `(SELECT customer_id, minute, ${v.col} AS p FROM rollup_activity WHERE minute >= $gmin::TIMESTAMP AND ${SCOPE_FILTER})`;
	const [counts, cancellers] = await Promise.all([
		loadSpanCounts(db, spans, p, l, g),
		opts.lostBy === 'inactivity' ? windows.map(() => []) : loadCancellers(db, windows, scope)
	]);
	const overlap =
		opts.lostBy === 'either' && cancellers.some((c) => c.length) ? await loadOverlap(db, parts, cancellers, p, l, g) : {};
	const both = (i: number, k: string) => overlap[`${k}_${i}`] ?? 0;
	const active = (j: number) => counts.f[j] - counts.g[j];
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
 * The customers with a cancellation in each window. Cancellations are few, so one read of the minute
 * rollup filtered on them serves every window, split here (a union of day and edge reads per window,
 * or a filtered list per window, took most of a 30-point drill-down chart's time).
 */
async function loadCancellers(db: Db, windows: Interval[], scope: Scope): Promise<string[][]> {
	const rows = await db.all<{ customer_id: string; minute: Date }>(
		`SELECT DISTINCT customer_id, minute FROM rollup_customer_minute
		WHERE cancels > 0 AND minute >= $cmin::TIMESTAMP AND minute < $cmax::TIMESTAMP AND ${SCOPE_FILTER}`,
		{
			...scopeParams(scope),
			cmin: ts(new Date(Math.min(...windows.map((w) => w.from.getTime())))),
			cmax: ts(new Date(Math.max(...windows.map((w) => w.to.getTime()))))
		}
	);
	return windows.map((w) => [
		...new Set(rows.filter((r) => r.minute >= w.from && r.minute < w.to).map((r) => r.customer_id))
	]);
}

/**
 * Up to this many spans (a tile set's window and the one before it: 6) one filtered count per span
 * over a plain scan costs less than placing every record among the boundaries: the ASOF joins of
 * loadSpanCounts made the live tile set 40–130 % slower (`npm run bench:tiles`, bench/README.md).
 */
const FILTERED_SPANS_MAX = 8;

/** loadSpanCounts for a few spans: one filtered count per span in one scan of each source. */
async function loadFewSpanCounts(db: Db, spans: [number, number][], base: Bind, l: string, g: string): Promise<{ f: number[]; g: number[] }> {
	const from = (j: number) => `minute >= $a${j}::TIMESTAMP`;
	const late = (j: number) => `minute >= $b${j}::TIMESTAMP AND (p IS NULL OR p < $a${j}::TIMESTAMP)`;
	const r = await db.one<Record<string, number | null>>(
		`SELECT * FROM
		(SELECT ${spans.map((_, j) => `count(*) FILTER (WHERE ${from(j)})::DOUBLE AS f${j}`).join(', ')} FROM ${l})
		CROSS JOIN
		(SELECT ${spans.map((_, j) => `count(*) FILTER (WHERE ${late(j)})::DOUBLE AS g${j}`).join(', ')} FROM ${g})`,
		base as Params
	);
	const n = (k: string) => Number(r?.[k] ?? 0);
	return { f: spans.map((_, j) => n(`f${j}`)), g: spans.map((_, j) => n(`g${j}`)) };
}

/**
 * For every span j = [a, b): f[j] = customers whose latest activity is at or after a; g[j] = records at
 * or after b whose predecessor is before a. Each record and latest activity is placed by rank among the
 * spans' distinct boundaries (an ASOF join), so the scan groups by two small ranks and the counts per
 * span are summed here: with one filtered count per span, a 30-point churn chart (90 spans) evaluated
 * 90 conditions on every record since the earliest window start.
 */
async function loadSpanCounts(db: Db, spans: [number, number][], base: Bind, l: string, g: string): Promise<{ f: number[]; g: number[] }> {
	if (spans.length <= FILTERED_SPANS_MAX) return loadFewSpanCounts(db, spans, base, l, g);
	const bounds = [...new Set(spans.flat())].sort((x, y) => x - y);
	const rank = new Map(bounds.map((t, i) => [t, i + 1]));
	const p: Params = { channel: base.channel, segment: base.segment, bounds: JSON.stringify(bounds.map((t) => ts(new Date(t)))) };
	// rank(x) = boundaries at or before x (0 before the first, or for a customer's first record): x ≥ a
	// exactly when rank(x) ≥ rank(a), x < a exactly when rank(x) < rank(a), for every boundary a.
	const bnd = `(SELECT unnest(generate_series(1, len(t))) AS r, unnest(t)::TIMESTAMP AS t
		FROM (SELECT from_json($bounds::VARCHAR, '["VARCHAR"]') AS t))`;
	const [fr, gr] = await Promise.all([
		db.all<{ rm: number; n: number }>(
			`SELECT coalesce(b.r, 0)::INTEGER AS rm, count(*)::DOUBLE AS n FROM ${l} x ASOF LEFT JOIN ${bnd} b ON x.minute >= b.t GROUP BY ALL`,
			{ ...p, kind: base.kind }
		),
		db.all<{ rm: number; rp: number; n: number }>(
			`SELECT rm, coalesce(b.r, 0)::INTEGER AS rp, count(*)::DOUBLE AS n FROM
				(SELECT x.p, coalesce(b.r, 0) AS rm FROM ${g} x ASOF LEFT JOIN ${bnd} b ON x.minute >= b.t) m
			ASOF LEFT JOIN ${bnd} b ON m.p >= b.t GROUP BY ALL`,
			{ ...p, gmin: base.gmin }
		)
	]);
	const sum = <T extends { n: number }>(rows: T[], keep: (r: T) => boolean) => rows.reduce((acc, r) => acc + (keep(r) ? r.n : 0), 0);
	return {
		f: spans.map(([a]) => sum(fr, (r) => r.rm >= rank.get(a)!)),
		g: spans.map(([a, b]) => sum(gr, (r) => r.rm >= rank.get(b)! && r.rp < rank.get(a)!))
	};
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
