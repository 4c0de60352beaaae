import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { unknownParamsMessage } from '$lib/server/api/unknown-params';
import { requireAccess } from '$lib/server/auth/guards';
import { CUSTOMER_ROLES } from '$lib/server/alerts/actor';
import {
	CUSTOMER_RISK_BANDS,
	CUSTOMER_SORTS,
	CUSTOMER_STATUSES,
	isCustomerRiskBand,
	isCustomerSort,
	isCustomerStatus,
	listCustomers
} from '$lib/server/customers/profile-list';

export const GET: RequestHandler = async ({ locals, url }) => {
	requireAccess(locals, { roles: CUSTOMER_ROLES });
	const sp = url.searchParams;
	const unknown = unknownParamsMessage(sp, ['q', 'segment', 'status', 'risk', 'sort', 'limit', 'offset']);
	if (unknown) return json({ error: unknown }, { status: 400 });
	const sort = sp.get('sort') ?? 'risk';
	if (!isCustomerSort(sort))
		return json(
			{ error: `unknown sort ${sort}; use ${Object.keys(CUSTOMER_SORTS).join(', ')}` },
			{ status: 400 }
		);
	const status = sp.get('status') || undefined;
	if (status !== undefined && !isCustomerStatus(status))
		return json({ error: `unknown status ${status}; use ${CUSTOMER_STATUSES.join(', ')} (or leave it out for all)` }, { status: 400 });
	const risk = sp.get('risk') || undefined;
	if (risk !== undefined && !isCustomerRiskBand(risk))
		return json({ error: `unknown risk ${risk}; use ${CUSTOMER_RISK_BANDS.join(', ')} (or leave it out for all)` }, { status: 400 });
	const limit = Number(sp.get('limit') ?? 50);
	const offset = Number(sp.get('offset') ?? 0);
	if (!Number.isInteger(limit) || limit < 1 || limit > 500)
		return json({ error: 'limit must be a whole number from 1 to 500' }, { status: 400 });
	if (!Number.isInteger(offset) || offset < 0)
		return json({ error: 'offset must be a whole number ≥ 0' }, { status: 400 });
	const r = await listCustomers(await getDb(), {
		q: sp.get('q') ?? undefined,
		segment: sp.get('segment') ?? undefined,
		status,
		risk,
		sort,
		limit,
		offset
	});
	return json(r, { headers: { 'cache-control': 'no-store' } });
};
