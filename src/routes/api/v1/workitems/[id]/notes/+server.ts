import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { requireAccess } from '$lib/server/auth/guards';
import { actorFrom, ITEM_ROLES } from '$lib/server/alerts/actor';
import { readJson, respond } from '$lib/server/alerts/http-respond';
import { addWorkItemNote } from '$lib/server/alerts/work-item-notes';

// POST {note} → 201 {note}; the roles that claim and resolve, on an item in any state.
export const POST: RequestHandler = async ({ locals, params, request }) => {
	const p = requireAccess(locals, { roles: ITEM_ROLES });
	const r = await addWorkItemNote(await getDb(), params.id, actorFrom(p), await readJson(request));
	return r.ok ? json({ note: r.value }, { status: 201 }) : respond(r);
};
