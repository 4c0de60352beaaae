import type { RequestHandler } from './$types';
import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { actorName, requireAccess } from '$lib/server/auth/guards';
import { RULE_ROLES } from '$lib/server/alerts/actor';
import { endSilence } from '$lib/server/alerts/silences';

/** Ends a silence now (active or scheduled); 404 when no such silence is current. */
export const DELETE: RequestHandler = async ({ locals, params }) => {
	const p = requireAccess(locals, { roles: RULE_ROLES });
	if (!(await endSilence(await getDb(), params.id, Date.now(), actorName(p)))) error(404, `no current silence ${params.id}`);
	return new Response(null, { status: 204 });
};
