// Ingest applier: turns the batch's new events into experience-debt contributions and updates each
// touched customer's debt, set-based, inside the ingest transaction (DESIGN §5).
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { IngestApplier } from '../ingest/appliers';
import { RATING_BOUNDS, REPEAT_CONTACT_DAYS, EXPERIENCE_KINDS } from './tolerance-defaults';
import { loadToleranceSettingsIn } from './tolerance-settings';

const B = RATING_BOUNDS;

/** The settings as CTEs _tol_w (segment, kind, points) and _tol_s (segment, half-life, limit, SLA), values bound. */
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
		for (const k of EXPERIENCE_KINDS) w.push(`(${bind(segment)}, ${bind(k)}, ${bind(x.weights[k])}::DOUBLE)`);
		st.push(
			`(${bind(segment)}, ${bind(x.halfLifeDays)}::DOUBLE, ${bind(x.limit)}::DOUBLE, ${bind(x.firstResponseSlaHours)}::DOUBLE)`
		);
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
		await conn.run(`
INSERT OR REPLACE INTO customer_debt (customer_id, debt, updated_at, crossed_at)
WITH agg AS (SELECT customer_id, max(occurred_at) AS max_at, any_value(h) AS h, any_value(lim) AS lim FROM _tol_new GROUP BY customer_id),
base AS (
	SELECT a.customer_id, greatest(coalesce(d.updated_at, a.max_at), a.max_at) AS new_at,
		d.debt AS old_debt, d.updated_at AS old_at, d.crossed_at, a.h, a.lim
	FROM agg a LEFT JOIN customer_debt d ON d.customer_id = a.customer_id
),
sums AS (
	SELECT b.customer_id, sum(n.points * pow(0.5, (epoch_ms(b.new_at) - epoch_ms(n.occurred_at)) / (b.h * 86400000.0))) AS added
	FROM base b JOIN _tol_new n ON n.customer_id = b.customer_id GROUP BY b.customer_id
),
calc AS (
	SELECT b.*, coalesce(b.old_debt * pow(0.5, (epoch_ms(b.new_at) - epoch_ms(b.old_at)) / (b.h * 86400000.0)), 0) AS old_now,
		greatest(0, coalesce(b.old_debt * pow(0.5, (epoch_ms(b.new_at) - epoch_ms(b.old_at)) / (b.h * 86400000.0)), 0) + s.added) AS debt
	FROM base b JOIN sums s ON s.customer_id = b.customer_id
)
SELECT customer_id, debt, new_at,
	CASE WHEN debt < lim THEN NULL WHEN old_now >= lim AND crossed_at IS NOT NULL THEN crossed_at ELSE new_at END
FROM calc`);
	} finally {
		// After a failed statement the transaction is aborted and the connection discards temp tables anyway.
		await conn.run('DROP TABLE IF EXISTS _tol_new').catch(() => undefined);
	}
}

export const toleranceApplier: IngestApplier = { name: 'tolerance-debt', apply: applyToleranceDebt };
