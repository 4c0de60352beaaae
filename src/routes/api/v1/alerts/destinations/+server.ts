import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { actorName, requireAccess } from '$lib/server/auth/guards';
import { RULE_ROLES } from '$lib/server/alerts/actor';
import { readJson } from '$lib/server/alerts/http-respond';
import { createDestination, listDestinations } from '$lib/server/alerts/webhooks';

export const GET: RequestHandler = async ({ locals }) => {
	requireAccess(locals, { roles: RULE_ROLES });
	return json({ destinations: await listDestinations(await getDb()) });
};

export const POST: RequestHandler = async ({ locals, request }) => {
	const p = requireAccess(locals, { roles: RULE_ROLES });
	const r = await createDestination(await getDb(), await readJson(request), actorName(p));
	if (!r.ok) return json({ errors: r.errors }, { status: 422 });
	return json({ destination: r.value }, { status: 201 });
};
