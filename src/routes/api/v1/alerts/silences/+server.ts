import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { actorName, requireAccess } from '$lib/server/auth/guards';
import { RULE_ROLES } from '$lib/server/alerts/actor';
import { readJson } from '$lib/server/alerts/http-respond';
import { createSilence, listSilences, parseEndedDays } from '$lib/server/alerts/silences';
import { unknownParamsMessage } from '$lib/server/api/unknown-params';

/** Silences not yet over (`state` active or scheduled); with `ended_days=N` also those ended in the last N days. */
export const GET: RequestHandler = async ({ locals, url }) => {
	requireAccess(locals, { roles: RULE_ROLES });
	const unknown = unknownParamsMessage(url.searchParams, ['ended_days']);
	if (unknown) return json({ error: unknown }, { status: 400 });
	const days = parseEndedDays(url.searchParams.get('ended_days'));
	if (!days.ok) return json({ error: days.error }, { status: 400 });
	return json({ silences: await listSilences(await getDb(), days.value) }, { headers: { 'cache-control': 'no-store' } });
};

// Analysts and admins only: a silence mutes alerts for everyone, and no page offers retention a
// per-customer silence (they snooze or resolve work items instead).
export const POST: RequestHandler = async ({ locals, request }) => {
	const p = requireAccess(locals, { roles: RULE_ROLES });
	const r = await createSilence(await getDb(), await readJson(request), actorName(p));
	if (!r.ok) return json({ errors: r.errors }, { status: 422 });
	return json({ silence: r.value }, { status: 201 });
};
