import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { actorName, requireAccess } from '$lib/server/auth/guards';
import { RULE_ROLES } from '$lib/server/alerts/actor';
import { readJson } from '$lib/server/alerts/http-respond';
import { listRuleStatuses } from '$lib/server/alerts/rule-status';
import { createRule } from '$lib/server/alerts/rules';

export const GET: RequestHandler = async ({ locals }) => {
	requireAccess(locals, { roles: RULE_ROLES });
	return json({ rules: await listRuleStatuses(await getDb()) }, { headers: { 'cache-control': 'no-store' } });
};

/** Creates a rule; 409 when its id is taken (PUT /api/v1/alerts/rules/:id changes a rule). */
export const POST: RequestHandler = async ({ locals, request }) => {
	const p = requireAccess(locals, { roles: RULE_ROLES });
	const r = await createRule(await getDb(), await readJson(request), actorName(p));
	if (!r.ok) return json({ errors: r.errors }, { status: 'status' in r ? r.status : 422 });
	return json({ rule: r.value }, { status: 201 });
};
