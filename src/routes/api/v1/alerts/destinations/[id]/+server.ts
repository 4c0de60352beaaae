import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { actorName, requireAccess } from '$lib/server/auth/guards';
import { RULE_ROLES } from '$lib/server/alerts/actor';
import { deleteDestination } from '$lib/server/alerts/webhooks';

export const DELETE: RequestHandler = async ({ locals, params }) => {
	const p = requireAccess(locals, { roles: RULE_ROLES });
	if (!(await deleteDestination(await getDb(), params.id, actorName(p)))) error(404, `no destination ${params.id}`);
	return new Response(null, { status: 204 });
};
