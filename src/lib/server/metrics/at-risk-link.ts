// From the at-risk tiles to the customers behind them: the customer list filtered to the high band
// (customers/profile-list.ts selects exactly the customers loadRiskCounters counts), in the segment the
// page is limited to. Only for roles that may open the customer list (executives may not: README roles).
import type { Db } from '../db';
import { loadRiskCounters, type RiskResult } from './risk-queries';

/** How each at-risk metric's list is sorted: the count by churn risk, the revenue by what is at stake. */
const SORT_BY_METRIC: Readonly<Record<string, 'risk' | 'value'>> = {
	at_risk_customers: 'risk',
	at_risk_revenue: 'value'
};

export interface AtRiskLink {
	/** null while no one is at risk: a link to an empty list only to read it is empty. */
	href: string | null;
	/** Customers the list holds (the at-risk customers tile's value). */
	count: number;
}

/**
 * The link for an at-risk metric's page (no href when it would list no one); null for other metrics and while
 * there are no scores to list. `risk`: the segment's risk counters, when the caller has read them for the tile.
 */
export async function atRiskCustomersLink(
	db: Db,
	metricId: string,
	segment: string | null,
	risk?: RiskResult
): Promise<AtRiskLink | null> {
	const sort = Object.hasOwn(SORT_BY_METRIC, metricId) ? SORT_BY_METRIC[metricId] : null;
	if (!sort) return null;
	const r = risk ?? (await loadRiskCounters(db, segment));
	if (!r.ok) return null;
	const count = r.value.at_risk_customers ?? 0;
	if (count === 0) return { href: null, count };
	const q = new URLSearchParams({ risk: 'high', sort });
	if (segment !== null) q.set('segment', segment);
	return { href: `/customers?${q}`, count };
}
