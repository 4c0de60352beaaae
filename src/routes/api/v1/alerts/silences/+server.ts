import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { actorName, requireAccess } from '$lib/server/auth/guards';
import { READ_ROLES, RULE_ROLES } from '$lib/server/alerts/actor';
import { readJson } from '$lib/server/alerts/http-respond';
import { createSilence, listActiveSilences } from '$lib/server/alerts/silences';

export const GET: RequestHandler = async ({ locals }) => {
	requireAccess(locals, { roles: READ_ROLES });
	return json({ silences: await listActiveSilences(await getDb()) });
};

export const POST: RequestHandler = async ({ locals, request }) => {
	const p = requireAccess(locals, { roles: [...RULE_ROLES, 'retention'] });
	const r = await createSilence(await getDb(), await readJson(request), actorName(p));
	if (!r.ok) return json({ errors: r.errors }, { status: 422 });
	return json({ silence: r.value }, { status: 201 });
};
