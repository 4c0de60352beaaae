// The at-risk tiles as they read at past moments, from the churn scorer's records: each customer's score at a
// moment is their latest score_history point at or before it, unless the scorer dropped their score since
// (score_removals). A point is written whenever a score changes band (churn/score.ts HISTORY_POINT), so the
// band of that latest point is the band the `scores` row held then: the count is the tile's, not an estimate.
// Its band is the one its model version gave (that version's saved bands, as the scorer used them): the tile
// counted the `high` its scores carried, whichever champion gave them.
// What the records do not hold is taken as it is now: each customer's segment and monthly value (customers
// keeps no history of either), and leaving by cancelling (customer_state's last cancellation, from its time
// on; the scorer drops a cancelled customer's score at their next scoring, seconds later on the server).
import type { Db } from '../db';
import type { Counters } from './definitions';
import { hasLeftSql } from '../alerts/customer-matches';
import { listVersions, readMetadata } from '../churn/registry';
import { scoringBands } from '../churn/risk-bands';
import { m0025ScoreRemovals } from '../db/migrations/0025-score-removals';

/** The high band's lower bound of every version in the registry that can be read (others give no band). */
function highBounds(modelsDir: string): { versions: string[]; highs: number[] } {
	const versions: string[] = [];
	const highs: number[] = [];
	for (const v of listVersions(modelsDir)) {
		try {
			highs.push(scoringBands(readMetadata(modelsDir, v).bands).high);
			versions.push(v);
		} catch {
			// An unreadable version's scores have no band: the moments they decide get no point (below).
		}
	}
	return { versions, highs };
}

/**
 * The risk counters at each of `moments` for `segment` (null: all), or {} where they cannot be told: before
 * removals were recorded, while no customer of the scope had a score (the tile says "no churn scores yet"), or
 * when a counted score's model version is no longer in the registry.
 */
export async function loadRiskHistory(db: Db, moments: readonly Date[], segment: string | null, modelsDir: string): Promise<Counters[]> {
	const out: Counters[] = moments.map(() => ({}));
	if (!moments.length) return out;
	// Removals before the table existed were not recorded: a customer dropped then would still count.
	const since = await db.one<{ ms: number }>('SELECT CAST(epoch_ms(applied_at) AS DOUBLE) AS ms FROM schema_migrations WHERE id = $1', [m0025ScoreRemovals.id]);
	if (!since) return out;
	const ms = moments.map((m) => m.getTime());
	const { versions, highs } = highBounds(modelsDir);
	// Each customer's spans: a score from its time to the next score or removal. Only the latest record at or
	// before the first moment is needed from the older history, so the join is bounded by the window.
	const rows = await db.all<{ i: number; scored: number; unknown: number; at_risk_customers: number; at_risk_revenue: number }>(
		`WITH pts AS (SELECT i, epoch_ms(t) AS t FROM (SELECT unnest(range(len(l))) AS i, unnest(l) AS t FROM (SELECT from_json($moments::JSON, '["BIGINT"]') AS l))),
		bands AS (SELECT unnest(from_json($versions::JSON, '["VARCHAR"]')) AS v, unnest(from_json($highs::JSON, '["DOUBLE"]')) AS high),
		recs AS (
			SELECT customer_id, scored_at AS rec_at, model_version, probability FROM score_history WHERE scored_at <= epoch_ms($last)
			UNION ALL SELECT customer_id, removed_at, NULL, NULL FROM score_removals WHERE removed_at <= epoch_ms($last)
		),
		bounded AS (
			SELECT * FROM recs WHERE rec_at > epoch_ms($first)
			UNION ALL (SELECT * FROM recs WHERE rec_at <= epoch_ms($first) QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY rec_at DESC) = 1)
		),
		spans AS (SELECT *, lead(rec_at) OVER (PARTITION BY customer_id ORDER BY rec_at) AS until FROM bounded)
		SELECT p.i::INTEGER AS i, count(*)::DOUBLE AS scored, count(*) FILTER (WHERE b.high IS NULL)::DOUBLE AS unknown,
			count(*) FILTER (WHERE s.probability >= b.high)::DOUBLE AS at_risk_customers,
			coalesce(sum(c.monthly_value) FILTER (WHERE s.probability >= b.high), 0)::DOUBLE AS at_risk_revenue
		FROM pts p JOIN spans s ON s.rec_at <= p.t AND (s.until IS NULL OR s.until > p.t)
		LEFT JOIN bands b ON b.v = s.model_version
		LEFT JOIN customers c ON c.customer_id = s.customer_id LEFT JOIN customer_state cs ON cs.customer_id = s.customer_id
		WHERE s.model_version IS NOT NULL
			AND ($segment::TEXT IS NULL OR coalesce(c.segment, 'default') = $segment::TEXT)
			-- As the tile: a customer who has left is not at risk; here from their cancellation on.
			AND NOT (coalesce(${hasLeftSql('cs')}, false) AND cs.cancelled_at <= p.t)
		GROUP BY p.i`,
		{
			moments: JSON.stringify(ms),
			versions: JSON.stringify(versions),
			highs: JSON.stringify(highs),
			first: Math.min(...ms),
			last: Math.max(...ms),
			segment
		}
	);
	for (const r of rows) {
		if (ms[r.i] < since.ms || r.scored === 0 || r.unknown > 0) continue;
		out[r.i] = { at_risk_customers: r.at_risk_customers, at_risk_revenue: r.at_risk_revenue };
	}
	return out;
}

/**
 * From when the score history can give the at-risk tiles a point for `segment` (null: all): the later of the
 * first recorded score of a customer in it and the start of the removal records; null when nothing is recorded.
 * The metric page says it when the history has no point before now yet.
 */
export async function riskHistoryFrom(db: Db, segment: string | null): Promise<Date | null> {
	const since = await db.one<{ ms: number }>('SELECT CAST(epoch_ms(applied_at) AS DOUBLE) AS ms FROM schema_migrations WHERE id = $1', [m0025ScoreRemovals.id]);
	const first = await db.one<{ ms: number | null }>(
		`SELECT CAST(epoch_ms(min(h.scored_at)) AS DOUBLE) AS ms FROM score_history h LEFT JOIN customers c ON c.customer_id = h.customer_id
		WHERE $segment::TEXT IS NULL OR coalesce(c.segment, 'default') = $segment::TEXT`,
		{ segment }
	);
	if (!since || !first || first.ms === null) return null;
	return new Date(Math.max(since.ms, first.ms));
}
