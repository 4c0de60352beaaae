import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireAccess } from '$lib/server/auth/guards';
import { READ_ROLES, RULE_ROLES } from '$lib/server/alerts/actor';
import { readJson } from '$lib/server/alerts/http-respond';
import { listRuleStatuses } from '$lib/server/alerts/rule-status';
import { saveRule } from '$lib/server/alerts/rules';

export const GET: RequestHandler = async ({ locals }) => {
	requireAccess(locals, { roles: READ_ROLES });
	return json({ rules: await listRuleStatuses(await getDb()) }, { headers: { 'cache-control': 'no-store' } });
};

/** Creates a rule, or replaces the rule with the same id. */
export const POST: RequestHandler = async ({ locals, request }) => {
	requireAccess(locals, { roles: RULE_ROLES });
	const r = await saveRule(await getDb(), await readJson(request));
	if (!r.ok) return json({ errors: r.errors }, { status: 422 });
	return json({ rule: r.value }, { status: 201 });
};
