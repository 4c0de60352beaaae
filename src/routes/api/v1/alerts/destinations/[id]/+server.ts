import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { actorName, requireAccess } from '$lib/server/auth/guards';
import { RULE_ROLES } from '$lib/server/alerts/actor';
import { readJson } from '$lib/server/alerts/http-respond';
import { deleteDestination, updateDestination } from '$lib/server/alerts/webhooks';

/** Changes name, url, template, routing or enabled; keys left out keep their value. */
export const PATCH: RequestHandler = async ({ locals, params, request }) => {
	const p = requireAccess(locals, { roles: RULE_ROLES });
	const r = await updateDestination(await getDb(), params.id, await readJson(request), actorName(p));
	if (r === null) error(404, `no destination ${params.id}`);
	if (!r.ok) return json({ errors: r.errors }, { status: 422 });
	return json({ destination: r.value });
};

export const DELETE: RequestHandler = async ({ locals, params }) => {
	const p = requireAccess(locals, { roles: RULE_ROLES });
	if (!(await deleteDestination(await getDb(), params.id, actorName(p)))) error(404, `no destination ${params.id}`);
	return new Response(null, { status: 204 });
};
