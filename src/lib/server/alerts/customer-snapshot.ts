// What customer rules look at: debt, churn score and last activity of the customers that could
// match any enabled customer rule (not every customer), with their tolerance settings applied.
import type { DuckDBValue } from '@duckdb/node-api';
import type { Db } from '../db';
import { sqlTs } from './sql-time';
import type { CustomerSnapshot } from './evaluate-tick';
import type { AlertRule } from './rule-schema';
import { loadToleranceSettings, settingsFor } from './tolerance-settings';
import { REOPEN_COOLDOWN_DAYS } from './work-item-types';

export async function hasTable(db: Db, name: string): Promise<boolean> {
	const r = await db.one<{ n: number }>(
		`SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_name = $1`,
		[name]
	);
	return (r?.n ?? 0) > 0;
}

/**
 * SQL: the customer_state row `cs` belongs to a customer who has left, i.e. cancelled and has not bought
 * since. Customer rules skip them: a retention list is for customers who are still there (on the demo
 * world 382 of 445 open items were customers who had already cancelled, all 267 churn-risk items among them).
 */
export const hasLeftSql = (cs: string) =>
	`coalesce(${cs}.cancelled_at > coalesce(${cs}.last_purchase_at, '-infinity'::TIMESTAMP), false)`;

/** The latest score per customer, when the churn module's `scores` table exists. */
export function latestScoresSql(): string {
	return `SELECT customer_id, arg_max(probability, scored_at) AS probability FROM scores GROUP BY customer_id`;
}

/**
 * Only customers that may match are loaded: debt is decayed to `now` in SQL against each segment's
 * half-life and limit (customer override first), so 100,000 customers cost one scan, not 100,000 rows.
 * Times come as epoch ms and cool-down reasons (rule kinds) as one comma-joined string: Dates and lists
 * made per row cost ~15 % more event-loop time when reading 87,000 customers.
 */
export async function loadCustomerSnapshot(
	db: Db,
	rules: readonly AlertRule[],
	now = Date.now()
): Promise<CustomerSnapshot[]> {
	const defs = rules.filter((r) => r.enabled).map((r) => r.definition);
	const wantDebt = defs.some((d) => d.kind === 'tolerance');
	const churn = defs.flatMap((d) => (d.kind === 'churn' ? [d.min_probability] : []));
	const silent = defs.flatMap((d) => (d.kind === 'silent' ? [d] : []));
	if (!wantDebt && !churn.length && !silent.length) return [];
	const scores = churn.length > 0 && (await hasTable(db, 'scores'));
	const minProb = churn.length ? Math.min(...churn) : 2;
	const minSilentValue = silent.length ? Math.min(...silent.map((d) => d.min_monthly_value)) : null;
	const minSilentDays = silent.length ? Math.min(...silent.map((d) => d.days)) : 0;
	const settings = await loadToleranceSettings(db);
	const segParams: DuckDBValue[] = [];
	const segValues = [...settings].map(([seg, st]) => {
		segParams.push(seg, st.halfLifeDays, st.limit);
		const b = segParams.length + 2; // $1..$4 are taken
		return `($${b}, $${b + 1}::DOUBLE, $${b + 2}::DOUBLE)`;
	});
	const rows = await db.all<{
		customer_id: string;
		segment: string;
		monthly_value: number;
		tolerance: number | null;
		debt: number | null;
		debt_at_ms: number | null;
		probability: number | null;
		last_at_ms: number | null;
		has_open_item: boolean;
		cooling: string | null;
	}>(
		`WITH seg(segment, half_life_days, lim) AS (VALUES ${segValues.join(', ')}),
		d AS (
			SELECT d.customer_id, d.debt, d.updated_at FROM customer_debt d
			LEFT JOIN customers c ON c.customer_id = d.customer_id
			LEFT JOIN seg own ON own.segment = coalesce(c.segment, 'default')
			CROSS JOIN (SELECT * FROM seg WHERE segment = '*') star
			WHERE $1 AND d.debt * pow(0.5, greatest(0, epoch_ms($4::TIMESTAMP) - epoch_ms(d.updated_at)) / (coalesce(own.half_life_days, star.half_life_days) * 86400000.0))
				>= coalesce(c.tolerance, own.lim, star.lim)
		),
		s AS (${scores ? latestScoresSql() : 'SELECT NULL::TEXT AS customer_id, NULL::DOUBLE AS probability WHERE false'}),
		l AS (SELECT st.customer_id, st.last_seen_at AS last_at FROM customer_state st
			WHERE $3::DOUBLE IS NOT NULL AND st.last_seen_at <= $4::TIMESTAMP - INTERVAL 1 DAY * $${segParams.length + 5}::INTEGER
				AND st.customer_id IN (SELECT customer_id FROM customers WHERE monthly_value >= $3)),
		ids AS (
			SELECT customer_id FROM d UNION SELECT customer_id FROM s WHERE probability >= $2 UNION SELECT customer_id FROM l
		),
		open_items AS (SELECT DISTINCT customer_id FROM work_items WHERE state <> 'resolved'),
		cool AS (SELECT customer_id, string_agg(DISTINCT reason, ',') AS reasons FROM work_items
			WHERE state = 'resolved' AND updated_at > $4::TIMESTAMP - INTERVAL ${REOPEN_COOLDOWN_DAYS} DAY GROUP BY customer_id)
		SELECT c.customer_id, coalesce(c.segment, 'default') AS segment, coalesce(c.monthly_value, 0) AS monthly_value, c.tolerance,
			d.debt, epoch_ms(d.updated_at)::DOUBLE AS debt_at_ms, s.probability, epoch_ms(l.last_at)::DOUBLE AS last_at_ms,
			o.customer_id IS NOT NULL AS has_open_item, cool.reasons AS cooling
		FROM ids JOIN customers c ON c.customer_id = ids.customer_id
			LEFT JOIN d ON d.customer_id = c.customer_id LEFT JOIN s ON s.customer_id = c.customer_id
			LEFT JOIN l ON l.customer_id = c.customer_id LEFT JOIN open_items o ON o.customer_id = c.customer_id
			LEFT JOIN cool ON cool.customer_id = c.customer_id
			LEFT JOIN customer_state cs ON cs.customer_id = c.customer_id
		WHERE NOT ${hasLeftSql('cs')}`,
		[wantDebt, minProb, minSilentValue, sqlTs(now), ...segParams, minSilentDays]
	);
	return rows.map((r) => {
		const st = settingsFor(settings, r.segment);
		return {
			customer_id: r.customer_id,
			segment: r.segment,
			monthly_value: r.monthly_value,
			debt: r.debt ?? 0,
			debt_at: r.debt_at_ms ?? 0,
			half_life_days: st.halfLifeDays,
			limit: r.tolerance ?? st.limit,
			probability: r.probability,
			last_event_at: r.last_at_ms,
			has_open_item: r.has_open_item,
			cooling_reasons: r.cooling ? r.cooling.split(',') : []
		};
	});
}
