import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { actorName, requireAccess } from '$lib/server/auth/guards';
import { RULE_ROLES } from '$lib/server/alerts/actor';
import { readJson } from '$lib/server/alerts/http-respond';
import { createSilence, listCurrentSilences } from '$lib/server/alerts/silences';

/** Silences not yet over: `state` says whether each is active now or scheduled. */
export const GET: RequestHandler = async ({ locals }) => {
	requireAccess(locals, { roles: RULE_ROLES });
	return json({ silences: await listCurrentSilences(await getDb()) }, { headers: { 'cache-control': 'no-store' } });
};

// Analysts and admins only: a silence mutes alerts for everyone, and no page offers retention a
// per-customer silence (they snooze or resolve work items instead).
export const POST: RequestHandler = async ({ locals, request }) => {
	const p = requireAccess(locals, { roles: RULE_ROLES });
	const r = await createSilence(await getDb(), await readJson(request), actorName(p));
	if (!r.ok) return json({ errors: r.errors }, { status: 422 });
	return json({ silence: r.value }, { status: 201 });
};
