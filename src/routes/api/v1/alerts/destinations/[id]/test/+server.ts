import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { requireAccess } from '$lib/server/auth/guards';
import { RULE_ROLES } from '$lib/server/alerts/actor';
import { testDestination } from '$lib/server/alerts/webhooks';

/** Sends one sample message now; answers with what the receiver said. */
export const POST: RequestHandler = async ({ locals, params }) => {
	requireAccess(locals, { roles: RULE_ROLES });
	const r = await testDestination(await getDb(), params.id);
	if (!r.ok && r.status === 404) return json(r, { status: 404 });
	return json(r, { status: r.ok ? 200 : 502 });
};
