import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { requireAccess } from '$lib/server/auth/guards';
import { actorFrom, ITEM_ROLES } from '$lib/server/alerts/actor';
import { readJson, respond } from '$lib/server/alerts/http-respond';
import { claimBodyRefusal, claimWorkItem } from '$lib/server/alerts/work-item-actions';

export const POST: RequestHandler = async ({ locals, params, request }) => {
	const p = requireAccess(locals, { roles: ITEM_ROLES });
	const refused = claimBodyRefusal(await readJson(request));
	if (refused) return respond(refused);
	return respond(await claimWorkItem(await getDb(), params.id, actorFrom(p)));
};
