import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { CUSTOMER_ROLES } from '$lib/server/alerts/actor';
import { isCustomerSort, isCustomerStatus, listCustomers, type CustomerSort, type CustomerStatus } from '$lib/server/customers/profile-list';

const PAGE = 50;

export const load: PageServerLoad = async ({ locals, url }) => {
	requireUser(locals, CUSTOMER_ROLES);
	const sp = url.searchParams;
	const q = sp.get('q')?.trim() ?? '';
	const segment = sp.get('segment') ?? '';
	// A retention list: by default the customers one can still keep. Ranked by churn risk, "all" puts
	// those who already cancelled (near-certain scores) above everyone else.
	const statusParam = sp.get('status') ?? '';
	const status: CustomerStatus | 'all' = statusParam === 'all' ? 'all' : isCustomerStatus(statusParam) ? statusParam : 'active';
	const sortParam = sp.get('sort') ?? 'risk';
	const sort: CustomerSort = isCustomerSort(sortParam) ? sortParam : 'risk';
	const pageNo = Math.max(1, Math.floor(Number(sp.get('page') ?? 1)) || 1);
	const db = await getDb();
	const [list, segments] = await Promise.all([
		listCustomers(db, {
			q: q || undefined,
			segment: segment || undefined,
			status: status === 'all' ? undefined : status,
			sort,
			limit: PAGE,
			offset: (pageNo - 1) * PAGE
		}),
		db.all<{ segment: string }>('SELECT DISTINCT segment FROM customers ORDER BY segment')
	]);
	return {
		q,
		segment,
		status,
		sort,
		page: pageNo,
		pageSize: PAGE,
		...list,
		segments: segments.map((s) => s.segment)
	};
};
