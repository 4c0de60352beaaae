// At-risk customers and revenue from the churn scorer's `scores` table. That table belongs to the
// churn module; until it exists (or when it is empty) the tiles say so instead of showing 0.
import type { Db } from '../db';
import type { Counters } from './definitions';
import { hasLeftSql } from '../alerts/customer-matches';

export type RiskResult = { ok: true; value: Counters } | { ok: false; error: string };

interface Column {
	column_name: string;
}

// The schema does not change while the process runs, so the column lookup is done once per database.
const columnCache = new WeakMap<Db, Set<string>>();

async function scoreColumns(db: Db): Promise<Set<string>> {
	const hit = columnCache.get(db);
	if (hit) return hit;
	const cols = new Set(
		(
			await db.all<Column>(
				`SELECT column_name FROM information_schema.columns WHERE table_name = 'scores' AND table_schema = 'main'`
			)
		).map((c) => c.column_name)
	);
	if (cols.size) columnCache.set(db, cols);
	return cols;
}

export async function loadRiskCounters(db: Db, segment: string | null): Promise<RiskResult> {
	const cols = await scoreColumns(db);
	if (!cols.size) return { ok: false, error: 'no churn scores yet (the model has not scored customers)' };
	const band = ['risk_band', 'band'].find((c) => cols.has(c));
	if (!band && !cols.has('probability')) return { ok: false, error: 'scores table has no risk band or probability' };
	const atRisk = band ? `s.${band} = 'high'` : 's.probability >= 0.5';
	// Keep only each customer's latest score when the table keeps history.
	const latest = cols.has('scored_at')
		? 'QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY scored_at DESC) = 1'
		: '';
	const r = await db.one<{ scored: number; at_risk_customers: number; at_risk_revenue: number }>(
		`WITH s AS (SELECT * FROM scores ${latest})
		SELECT count(*)::DOUBLE AS scored, count(*) FILTER (WHERE ${atRisk})::DOUBLE AS at_risk_customers,
			coalesce(sum(c.monthly_value) FILTER (WHERE ${atRisk}), 0)::DOUBLE AS at_risk_revenue
		FROM s LEFT JOIN customers c ON c.customer_id = s.customer_id LEFT JOIN customer_state cs ON cs.customer_id = s.customer_id
		WHERE ($segment::TEXT IS NULL OR coalesce(c.segment, 'default') = $segment::TEXT)
			-- A customer who has left is no longer at risk, whatever score is still stored (the scorer removes it).
			AND NOT coalesce(${hasLeftSql('cs')}, false)`,
		{ segment }
	);
	if (!r || r.scored === 0) {
		// Scores may well exist, only not for this segment: say which.
		const any = segment !== null && (await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM (SELECT 1 FROM scores LIMIT 1)'));
		return { ok: false, error: any && any.n > 0 ? `no scored customers in segment "${segment}"` : 'no churn scores yet (the model has not scored customers)' };
	}
	return { ok: true, value: { at_risk_customers: r.at_risk_customers, at_risk_revenue: r.at_risk_revenue } };
}
