// GET /api/v1/workitems/:id → one item with its history and notes, for integrations that follow an item they were sent.
import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { requireAccess } from '$lib/server/auth/guards';
import { READ_ROLES } from '$lib/server/alerts/actor';
import { getWorkItem, listTransitions } from '$lib/server/alerts/work-items';
import { listWorkItemNotes } from '$lib/server/alerts/work-item-notes';

export const GET: RequestHandler = async ({ locals, params }) => {
	requireAccess(locals, { roles: READ_ROLES });
	const db = await getDb();
	const item = await getWorkItem(db, params.id);
	if (!item) return json({ error: `no work item with id ${params.id}` }, { status: 404 });
	const [transitions, notes] = await Promise.all([listTransitions(db, [item.id]), listWorkItemNotes(db, [item.id])]);
	return json({ item, transitions, notes }, { headers: { 'cache-control': 'no-store' } });
};
