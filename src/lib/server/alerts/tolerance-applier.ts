// Ingest applier: turns the batch's new events into experience-debt contributions and updates each
// touched customer's debt, set-based, inside the ingest transaction (DESIGN §5).
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { IngestApplier } from '../ingest/appliers';
import { RATING_BOUNDS, REPEAT_CONTACT_DAYS, EXPERIENCE_KINDS } from './tolerance-defaults';
import { loadToleranceSettingsIn } from './tolerance-settings';

const B = RATING_BOUNDS;

/**
 * The settings as CTEs _tol_w (segment, kind, points) and _tol_s (segment, half-life, limit, SLA). A weight
 * beyond int64 (1e19, stored before the bounds of tolerance-bounds.ts) binds as DOUBLE like every number that
 * is not a safe integer (db/database.ts), so such a row cannot fail an ingest batch.
 */
async function settingsCtes(conn: DuckDBConnection): Promise<{ sql: string; params: DuckDBValue[] }> {
	const settings = await loadToleranceSettingsIn(conn);
	const params: DuckDBValue[] = [];
	const bind = (v: DuckDBValue) => {
		params.push(v);
		return `$${params.length}`;
	};
	const w: string[] = [];
	const st: string[] = [];
	for (const [segment, x] of settings) {
		for (const k of EXPERIENCE_KINDS) w.push(`(${bind(segment)}, ${bind(k)}, ${bind(x.weights[k])})`);
		st.push(`(${bind(segment)}, ${bind(x.halfLifeDays)}, ${bind(x.limit)}, ${bind(x.firstResponseSlaHours)})`);
	}
	return {
		sql: `_tol_w(segment, kind, points) AS (VALUES ${w.join(', ')}),
_tol_s(segment, half_life_days, tolerance_limit, sla_hours) AS (VALUES ${st.join(', ')})`,
		params
	};
}

/** Per customer: the settings that apply (own segment row, else '*'), limit overridden by customers.tolerance. */
const CUSTOMER_SETTINGS = `
	SELECT x.customer_id, coalesce(seg.segment, '*') AS settings_segment,
		coalesce(seg.half_life_days, star.half_life_days) AS half_life_days,
		coalesce(c.tolerance, seg.tolerance_limit, star.tolerance_limit) AS tolerance_limit,
		coalesce(seg.sla_hours, star.sla_hours) AS sla_hours
	FROM (SELECT DISTINCT customer_id FROM %T%) x
	LEFT JOIN customers c ON c.customer_id = x.customer_id
	LEFT JOIN _tol_s seg ON seg.segment = coalesce(c.segment, 'default')
	CROSS JOIN (SELECT * FROM _tol_s WHERE segment = '*') star`;

/** CTEs ending in _tol_cand (customer_id, event_id, occurred_at, kind, hours). */
function candidateCtes(t: string): string {
	return `
touched AS (SELECT DISTINCT ticket_id FROM ${t} WHERE ticket_id IS NOT NULL),
tk AS (
	SELECT event_id, customer_id, occurred_at, type, ticket_id FROM events
	WHERE ticket_id IN (SELECT ticket_id FROM touched) AND event_id NOT IN (SELECT event_id FROM ${t})
	UNION ALL
	SELECT event_id, customer_id, occurred_at, type, ticket_id FROM ${t} WHERE ticket_id IS NOT NULL
),
simple AS (
	SELECT customer_id, event_id, occurred_at, CASE
		WHEN type = 'survey_csat' AND rating <= ${B.csatLowMax} THEN 'csat_low'
		WHEN type = 'survey_csat' AND rating >= ${B.csatHighMin} THEN 'csat_high'
		WHEN type = 'survey_nps' AND rating <= ${B.npsDetractorMax} THEN 'nps_detractor'
		WHEN type = 'survey_nps' AND rating >= ${B.npsPromoterMin} THEN 'nps_promoter'
		WHEN type = 'survey_ces' AND rating <= ${B.cesLowMax} THEN 'ces_low'
		WHEN type = 'complaint' THEN 'complaint'
		WHEN type = 'refund' THEN 'refund'
		WHEN type = 'support_reopened' THEN 'ticket_reopened'
		WHEN type = 'praise' THEN 'praise'
		WHEN type = 'purchase' THEN 'purchase'
	END AS kind
	FROM ${t}
),
firsts AS (
	SELECT *, row_number() OVER (PARTITION BY ticket_id, type ORDER BY occurred_at, event_id) AS rn
	FROM tk WHERE type IN ('support_opened', 'support_reply')
),
slow AS (
	SELECT r.customer_id, r.event_id, r.occurred_at, 'slow_first_response' AS kind,
		(epoch_ms(r.occurred_at) - epoch_ms(o.occurred_at)) / 3600000.0 AS hours
	FROM firsts r JOIN firsts o ON o.ticket_id = r.ticket_id AND o.type = 'support_opened' AND o.rn = 1
	WHERE r.type = 'support_reply' AND r.rn = 1 AND r.occurred_at > o.occurred_at
),
contacts AS (
	SELECT *, lag(occurred_at) OVER (PARTITION BY ticket_id ORDER BY occurred_at, event_id) AS prev_at
	FROM tk WHERE type NOT IN ('support_reply', 'support_solved', 'support_reopened')
),
repeats AS (
	SELECT customer_id, event_id, occurred_at, 'repeat_contact' AS kind FROM contacts
	WHERE prev_at IS NOT NULL AND occurred_at - prev_at <= INTERVAL ${REPEAT_CONTACT_DAYS} DAY
),
_tol_cand AS (
	SELECT customer_id, event_id, occurred_at, kind, NULL::DOUBLE AS hours FROM simple WHERE kind IS NOT NULL
	UNION ALL SELECT customer_id, event_id, occurred_at, kind, hours FROM slow
	UNION ALL SELECT customer_id, event_id, occurred_at, kind, NULL FROM repeats
)`;
}

export async function applyToleranceDebt(conn: DuckDBConnection, newEventsTable: string): Promise<void> {
	const settings = await settingsCtes(conn);
	try {
		// One statement finds this batch's contributions with the settings that apply to each customer.
		// Only contributions not recorded before count: a late event can complete an older pattern.
		await conn.run(
			`
CREATE OR REPLACE TEMP TABLE _tol_new AS
WITH ${settings.sql},
${candidateCtes(newEventsTable)},
_tol_cs AS (${CUSTOMER_SETTINGS.replace('%T%', '_tol_cand')})
SELECT DISTINCT ON (k.customer_id, k.event_id, k.kind) k.customer_id, k.event_id, k.occurred_at, k.kind,
	coalesce(ws.points, wstar.points) AS points, cs.half_life_days AS h, cs.tolerance_limit AS lim
FROM _tol_cand k
JOIN _tol_cs cs ON cs.customer_id = k.customer_id
LEFT JOIN _tol_w ws ON ws.segment = cs.settings_segment AND ws.kind = k.kind
LEFT JOIN _tol_w wstar ON wstar.segment = '*' AND wstar.kind = k.kind
WHERE (k.kind <> 'slow_first_response' OR k.hours > cs.sla_hours)
	AND coalesce(ws.points, wstar.points) <> 0
	AND NOT EXISTS (SELECT 1 FROM debt_contributions d
		WHERE d.customer_id = k.customer_id AND d.event_id = k.event_id AND d.kind = k.kind)`,
			settings.params
		);
		await conn.run(
			'INSERT INTO debt_contributions SELECT customer_id, event_id, occurred_at, kind, points FROM _tol_new'
		);
		// The customer's new contributions in time order, one at a time as debt.ts's addContributions and
		// the customer page's chart: decay to each, add its points, never below zero, and note the last
		// upward crossing of the limit, so "over the limit since" is the contribution that crossed it, not
		// the batch's last event (a seed or import batch spans weeks). Times in microseconds as DOUBLE
		// (exact below 2^53); a late contribution counts at the stored time, decayed from its own.
		// A customer with one new contribution (nearly everyone in a live batch) takes the same step without
		// the list reduce, and the list is sorted by list_sort (structs compare field by field: time, event,
		// kind) rather than by an ordered aggregate, whose per-customer cost tripled this statement at
		// 50,000 events. The arithmetic is the reduce's own, so both paths give the same bits.
		await conn.run(`
INSERT OR REPLACE INTO customer_debt (customer_id, debt, updated_at, crossed_at)
WITH agg AS (
	SELECT customer_id, any_value(h) * 86400000000.0 AS h_us, any_value(lim) AS lim, count(*) AS n,
		min(epoch_us(occurred_at))::DOUBLE AS t1, any_value(points)::DOUBLE AS p1,
		list({t: epoch_us(occurred_at)::DOUBLE, e: event_id, k: kind, p: points::DOUBLE}) AS cs
	FROM _tol_new GROUP BY customer_id
),
base AS (
	SELECT a.customer_id, a.n, a.h_us, a.lim, a.t1, a.p1, a.cs, coalesce(epoch_us(d.updated_at)::DOUBLE, a.t1) AS t0,
		coalesce(d.debt, 0) AS d0, d.crossed_at AS old_crossed
	FROM agg a LEFT JOIN customer_debt d ON d.customer_id = a.customer_id
),
one AS (
	SELECT customer_id, lim, t0, old_crossed, greatest(t1, t0) AS t, p1 * pow(0.5, greatest(0, t0 - t1) / h_us) AS p,
		d0 * pow(0.5, (greatest(t1, t0) - t0) / h_us) AS before
	FROM base WHERE n = 1
),
run AS (
	SELECT customer_id, lim, t0, old_crossed,
		{t: t, p: 0.0::DOUBLE, d: greatest(0, before + p), up: CASE WHEN before < lim AND before + p >= lim THEN t END} AS r
	FROM one
	UNION ALL
	SELECT b.customer_id, b.lim, b.t0, b.old_crossed, list_reduce(
		list_transform(list_sort(b.cs), c -> {t: greatest(c.t, b.t0), p: c.p * pow(0.5, greatest(0, b.t0 - c.t) / b.h_us), d: 0.0::DOUBLE, up: NULL::DOUBLE}),
		(acc, e) -> {t: e.t, p: 0.0::DOUBLE,
			d: greatest(0, acc.d * pow(0.5, (e.t - acc.t) / b.h_us) + e.p),
			up: CASE WHEN acc.d * pow(0.5, (e.t - acc.t) / b.h_us) < b.lim AND acc.d * pow(0.5, (e.t - acc.t) / b.h_us) + e.p >= b.lim
				THEN e.t ELSE acc.up END},
		{t: b.t0, p: 0.0::DOUBLE, d: b.d0, up: NULL::DOUBLE}) AS r
	FROM base b WHERE b.n > 1
)
SELECT customer_id, r.d, make_timestamp(r.t::BIGINT),
	CASE WHEN r.d < lim THEN NULL
		WHEN r.up IS NOT NULL THEN make_timestamp(r.up::BIGINT)
		ELSE coalesce(old_crossed, make_timestamp(t0::BIGINT)) END
FROM run`);
	} finally {
		// After a failed statement the transaction is aborted and the connection discards temp tables anyway.
		await conn.run('DROP TABLE IF EXISTS _tol_new').catch(() => undefined);
	}
}

export const toleranceApplier: IngestApplier = { name: 'tolerance-debt', apply: applyToleranceDebt };
