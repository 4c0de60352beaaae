// Experience debt decayed to a moment in SQL (DESIGN §5), for queries over many customers at once: the
// alert matcher judges it, the customer list sorts by it, the closing of cleared items quotes it. One
// expression, so what is judged, sorted and shown cannot drift apart (the list once sorted by the debt
// before decay and showed it after). Same arithmetic as debt.ts's decayDebt.
import type { DuckDBValue } from '@duckdb/node-api';
import type { ToleranceSettings } from './tolerance-defaults';

/**
 * CTE `seg(segment, half_life_days, lim)`: a row per segment with its own settings, and '*'
 * (loadToleranceSettings always has it). Values bound through `bind`.
 */
export function toleranceSegmentsSql(
	settings: ReadonlyMap<string, ToleranceSettings>,
	bind: (v: DuckDBValue) => string
): string {
	const rows = [...settings].map(
		([s, st]) => `(${bind(s)}, ${bind(st.halfLifeDays)}::DOUBLE, ${bind(st.limit)}::DOUBLE)`
	);
	return `seg(segment, half_life_days, lim) AS (VALUES ${rows.join(', ')})`;
}

/**
 * Joins, for the customers row `c`, its segment's settings as `own` (none when the segment has no row)
 * and the '*' row as `star`, from the `seg` CTE above.
 */
export const segmentSettingsJoinSql = (c: string) =>
	`LEFT JOIN seg own ON own.segment = ${c}.segment CROSS JOIN (SELECT * FROM seg WHERE segment = '*') star`;

/** SQL: the customer's half-life (after segmentSettingsJoinSql). */
export const halfLifeSql = 'coalesce(own.half_life_days, star.half_life_days)';

/** SQL: the limit the customer `c` is judged against: their own tolerance first, then their segment's. */
export const limitSql = (c: string) => `coalesce(${c}.tolerance, own.lim, star.lim)`;

/**
 * SQL: `d.debt`, stored as of `d.updated_at` (customer_debt aliased `d`), decayed to `now` (a TIMESTAMP
 * placeholder) with the customer's half-life; time never runs backwards.
 */
export const decayedDebtSql = (now: string) =>
	`d.debt * pow(0.5, greatest(0, epoch_ms(${now}::TIMESTAMP) - epoch_ms(d.updated_at)) / (${halfLifeSql} * 86400000.0))`;
