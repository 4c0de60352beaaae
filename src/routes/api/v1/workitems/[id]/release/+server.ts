import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { requireAccess } from '$lib/server/auth/guards';
import { actorFrom, ITEM_ROLES } from '$lib/server/alerts/actor';
import { readJson, respond } from '$lib/server/alerts/http-respond';
import { releaseWorkItem } from '$lib/server/alerts/work-item-handover';

// POST {note?} → {item}, back to open with no assignee; its holder or an admin.
export const POST: RequestHandler = async ({ locals, params, request }) => {
	const p = requireAccess(locals, { roles: ITEM_ROLES });
	return respond(await releaseWorkItem(await getDb(), params.id, actorFrom(p), await readJson(request)));
};
