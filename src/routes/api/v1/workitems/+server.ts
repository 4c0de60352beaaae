import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireAccess } from '$lib/server/auth/guards';
import { READ_ROLES } from '$lib/server/alerts/actor';
import { unknownParams } from '$lib/server/api/unknown-params';
import { countWorkItems, listWorkItems, parseWorkListQuery, WORK_LIST_PARAMS } from '$lib/server/alerts/work-item-list';
import { withNoteCounts } from '$lib/server/alerts/work-item-notes';

export const GET: RequestHandler = async ({ locals, url }) => {
	requireAccess(locals, { roles: READ_ROLES });
	const unknown = unknownParams(url.searchParams, WORK_LIST_PARAMS);
	const q = parseWorkListQuery(url.searchParams);
	const errors = [
		...unknown.map((k) => ({ field: k, message: `unknown parameter; use ${WORK_LIST_PARAMS.join(', ')}` })),
		...(q.ok ? [] : q.errors)
	];
	if (!q.ok || errors.length) return json({ error: 'invalid query', errors }, { status: 400 });
	const db = await getDb();
	const [items, total] = await Promise.all([listWorkItems(db, q.value), countWorkItems(db, q.value)]);
	// total: every item matching the filters, so a client knows when to page on with offset.
	return json(
		{ items: await withNoteCounts(db, items), total, offset: q.value.offset ?? 0, limit: q.value.limit ?? 500 },
		{ headers: { 'cache-control': 'no-store' } }
	);
};
