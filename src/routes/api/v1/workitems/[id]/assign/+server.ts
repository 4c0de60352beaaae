import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { requireAccess } from '$lib/server/auth/guards';
import { actorFrom, ITEM_ROLES } from '$lib/server/alerts/actor';
import { readJson, respond } from '$lib/server/alerts/http-respond';
import { assignWorkItem } from '$lib/server/alerts/work-item-handover';

// POST {assignee, note?} → {item}, held by the assignee; its holder, anyone on an open item, or an admin.
export const POST: RequestHandler = async ({ locals, params, request }) => {
	const p = requireAccess(locals, { roles: ITEM_ROLES });
	return respond(await assignWorkItem(await getDb(), params.id, actorFrom(p), await readJson(request)));
};
