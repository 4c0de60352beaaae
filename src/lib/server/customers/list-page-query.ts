// Reads /customers' query (?q=&segment=&status=&risk=&sort=&page=) with errors that name the parameter, as the
// Overview answers ?window=2y: a bad value is a 400 saying what to use, not a page quietly showing
// something else. Left out or empty, a parameter takes its default (the form sends every field).
import type { RiskBand } from '../churn/risk-bands';
import {
	CUSTOMER_RISK_BANDS,
	CUSTOMER_SORTS,
	CUSTOMER_STATUSES,
	isCustomerRiskBand,
	isCustomerSort,
	isCustomerStatus,
	type CustomerSort,
	type CustomerStatus
} from './profile-list';

export const CUSTOMERS_PER_PAGE = 50;

export interface CustomerPageQuery {
	q: string;
	segment: string;
	status: CustomerStatus | 'all';
	/** '': any band, and customers not scored. */
	risk: RiskBand | '';
	sort: CustomerSort;
	page: number;
}

export type CustomerPageQueryResult = { ok: true; value: CustomerPageQuery } | { ok: false; error: string };

const got = (v: string) => `(got ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)})`;

export function parseCustomerPageQuery(sp: URLSearchParams): CustomerPageQueryResult {
	const status = sp.get('status') || 'active';
	if (status !== 'all' && !isCustomerStatus(status))
		return { ok: false, error: `status: must be one of ${[...CUSTOMER_STATUSES, 'all'].join(', ')} ${got(status)}` };
	const risk = sp.get('risk') || '';
	if (risk !== '' && !isCustomerRiskBand(risk))
		return { ok: false, error: `risk: must be one of ${CUSTOMER_RISK_BANDS.join(', ')} (or empty for all) ${got(risk)}` };
	const sort = sp.get('sort') || 'risk';
	if (!isCustomerSort(sort)) return { ok: false, error: `sort: must be one of ${Object.keys(CUSTOMER_SORTS).join(', ')} ${got(sort)}` };
	const pageText = sp.get('page') || '1';
	const page = /^\d{1,9}$/.test(pageText) ? Number(pageText) : NaN;
	if (!(page >= 1)) return { ok: false, error: `page: must be a whole number from 1 ${got(pageText)}` };
	return { ok: true, value: { q: sp.get('q')?.trim() ?? '', segment: sp.get('segment') ?? '', status, risk, sort, page } };
}

/** Pages of `total` customers; an empty list still has its one (empty) page. */
export function pageCount(total: number, perPage = CUSTOMERS_PER_PAGE): number {
	return Math.max(1, Math.ceil(total / perPage));
}
