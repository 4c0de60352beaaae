// GET /api/v1/workitems/:id → one item with its history, for integrations that follow an item they were sent.
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { requireAccess } from '$lib/server/auth/guards';
import { READ_ROLES } from '$lib/server/alerts/actor';
import { getWorkItem, listTransitions } from '$lib/server/alerts/work-items';

export const GET: RequestHandler = async ({ locals, params }) => {
	requireAccess(locals, { roles: READ_ROLES });
	const db = await getDb();
	const item = await getWorkItem(db, params.id);
	if (!item) return json({ error: `no work item with id ${params.id}` }, { status: 404 });
	return json({ item, transitions: await listTransitions(db, [item.id]) }, { headers: { 'cache-control': 'no-store' } });
};
