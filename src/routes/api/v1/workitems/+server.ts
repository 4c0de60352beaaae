import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireAccess } from '$lib/server/auth/guards';
import { READ_ROLES } from '$lib/server/alerts/actor';
import { listWorkItems, parseWorkListQuery } from '$lib/server/alerts/work-item-list';

export const GET: RequestHandler = async ({ locals, url }) => {
	requireAccess(locals, { roles: READ_ROLES });
	const q = parseWorkListQuery(url.searchParams);
	if (!q.ok) return json({ error: 'invalid query', errors: q.errors }, { status: 400 });
	const items = await listWorkItems(await getDb(), q.value);
	return json({ items }, { headers: { 'cache-control': 'no-store' } });
};
