// The searchable customer list: id/name search, segment, status and risk band filters, sorted by risk, all values bound.
import type { DuckDBValue } from '@duckdb/node-api';
import type { RiskBand } from '../churn/risk-bands';
import type { Db } from '../db';
import { hasLeftSql, hasTable, latestScoresSql } from '../alerts/customer-matches';
import { decayedDebtSql, limitSql, segmentSettingsJoinSql, toleranceSegmentsSql } from '../alerts/debt-sql';
import { sqlTs } from '../alerts/sql-time';
import { loadToleranceSettings } from '../alerts/tolerance-settings';
import { monthlyValueSql } from './monthly-value';

export interface CustomerListRow {
	customer_id: string;
	name: string | null;
	segment: string;
	/** null: never given (see monthly-value.ts). */
	monthly_value: number | null;
	/** Experience debt decayed to now (0 for a customer with no experience counted), and the limit that applies. */
	debt: number;
	limit: number;
	probability: number | null;
	/** Band of the latest score (null: not scored). */
	risk_band: RiskBand | null;
	last_seen_at: string | null;
	/** When the customer cancelled, if they have not bought since (they have left). */
	cancelled_at: string | null;
	open_items: number;
}

/** `active`: customers still there; `cancelled`: those who cancelled and have not bought since. */
export const CUSTOMER_STATUSES = ['active', 'cancelled'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

export function isCustomerStatus(x: string): x is CustomerStatus {
	return (CUSTOMER_STATUSES as readonly string[]).includes(x);
}

/** Risk bands the list filters by, riskiest first. */
export const CUSTOMER_RISK_BANDS = ['high', 'medium', 'low'] as const satisfies readonly RiskBand[];

export function isCustomerRiskBand(x: string): x is RiskBand {
	return (CUSTOMER_RISK_BANDS as readonly string[]).includes(x);
}

export const CUSTOMER_SORTS = {
	risk: 'probability DESC NULLS LAST, debt DESC NULLS LAST',
	debt: 'debt DESC NULLS LAST',
	value: 'monthly_value DESC NULLS LAST',
	recent: 'last_seen_at DESC NULLS LAST',
	id: 'customer_id ASC'
} as const;
export type CustomerSort = keyof typeof CUSTOMER_SORTS;

/** Own keys only: `sort=constructor` is not a sort (`in` said it was, and the ORDER BY failed). */
export function isCustomerSort(x: string): x is CustomerSort {
	return Object.hasOwn(CUSTOMER_SORTS, x);
}

export interface CustomerListQuery {
	q?: string;
	segment?: string;
	status?: CustomerStatus;
	/**
	 * Customers whose latest score is in this band and who have not left: with `high`, exactly those the
	 * at-risk tiles count (metrics/risk-queries.ts), so the list behind the tile's number is one link away.
	 */
	risk?: RiskBand;
	sort?: CustomerSort;
	limit?: number;
	offset?: number;
}

export async function listCustomers(
	db: Db,
	query: CustomerListQuery
): Promise<{ rows: CustomerListRow[]; total: number }> {
	const scores = await hasTable(db, 'scores');
	const params: DuckDBValue[] = [];
	const bind = (v: DuckDBValue) => {
		params.push(v);
		return `$${params.length}`;
	};
	const where: string[] = [];
	if (query.q) {
		const p = bind(`%${query.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
		where.push(`(c.customer_id ILIKE ${p} ESCAPE '\\' OR c.name ILIKE ${p} ESCAPE '\\')`);
	}
	if (query.segment) where.push(`c.segment = ${bind(query.segment)}`);
	if (query.status) where.push(`${query.status === 'cancelled' ? '' : 'NOT '}${hasLeftSql('st')}`);
	// A customer who has left is at risk of nothing, whatever score is still stored (as the tiles count).
	if (query.risk) where.push(`s.risk_band = ${bind(query.risk)} AND NOT ${hasLeftSql('st')}`);
	const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
	const scoresJoin = `LEFT JOIN (${
		scores ? latestScoresSql() : 'SELECT NULL::TEXT AS customer_id, NULL::DOUBLE AS probability, NULL::TEXT AS risk_band WHERE false'
	}) s ON s.customer_id = c.customer_id`;
	const totalRow = await db.one<{ n: number }>(
		`SELECT count(*)::INTEGER AS n FROM customers c LEFT JOIN customer_state st ON st.customer_id = c.customer_id ${query.risk ? scoresJoin : ''} ${w}`,
		[...params]
	);
	// Debt decayed to now in SQL, so the debt sort orders by the value the column shows. No debt row: no
	// experience counted yet, so 0 (as the customer's page says), not unknown.
	const seg = toleranceSegmentsSql(await loadToleranceSettings(db), bind);
	const base = `
		SELECT c.customer_id, c.name, c.segment, ${monthlyValueSql()} AS monthly_value,
			coalesce(${decayedDebtSql(bind(sqlTs(Date.now())))}, 0) AS debt, ${limitSql('c')} AS "limit",
			s.probability, s.risk_band, st.last_seen_at,
			CASE WHEN ${hasLeftSql('st')} THEN st.cancelled_at END AS cancelled_at,
			(SELECT count(*) FROM work_items wi WHERE wi.customer_id = c.customer_id AND wi.state <> 'resolved')::INTEGER AS open_items
		FROM customers c
		LEFT JOIN customer_debt d ON d.customer_id = c.customer_id
		LEFT JOIN customer_state st ON st.customer_id = c.customer_id
		${segmentSettingsJoinSql('c')}
		${scoresJoin}
		${w}`;
	const order = CUSTOMER_SORTS[query.sort ?? 'risk'];
	const rows = await db.all<
		Omit<CustomerListRow, 'last_seen_at' | 'cancelled_at'> & { last_seen_at: Date | null; cancelled_at: Date | null }
	>(
		`WITH ${seg} SELECT * FROM (${base}) ORDER BY ${order}, customer_id LIMIT ${bind(query.limit ?? 50)} OFFSET ${bind(query.offset ?? 0)}`,
		params
	);
	return {
		rows: rows.map((r) => ({
			...r,
			debt: Math.round(r.debt * 10) / 10,
			last_seen_at: r.last_seen_at?.toISOString() ?? null,
			cancelled_at: r.cancelled_at?.toISOString() ?? null
		})),
		total: totalRow?.n ?? 0
	};
}
