import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { CUSTOMER_ROLES } from '$lib/server/alerts/actor';
import { listCustomers } from '$lib/server/customers/profile-list';
import { CUSTOMERS_PER_PAGE, pageCount, parseCustomerPageQuery } from '$lib/server/customers/list-page-query';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireUser(locals, CUSTOMER_ROLES);
	const query = parseCustomerPageQuery(url.searchParams);
	if (!query.ok) error(400, query.error);
	// A retention list: by default the customers one can still keep. Ranked by churn risk, "all" puts
	// those who already cancelled (near-certain scores) above everyone else.
	const { q, segment, status, risk, sort, page } = query.value;
	const db = await getDb();
	const [list, segments] = await Promise.all([
		listCustomers(db, {
			q: q || undefined,
			segment: segment || undefined,
			status: status === 'all' ? undefined : status,
			risk: risk || undefined,
			sort,
			limit: CUSTOMERS_PER_PAGE,
			offset: (page - 1) * CUSTOMERS_PER_PAGE
		}),
		db.all<{ segment: string }>('SELECT DISTINCT segment FROM customers ORDER BY segment')
	]);
	return {
		...query.value,
		pages: pageCount(list.total),
		...list,
		segments: segments.map((s) => s.segment)
	};
};
