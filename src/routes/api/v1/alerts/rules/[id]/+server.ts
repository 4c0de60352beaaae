import type { RequestHandler } from './$types';
import { error, json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { actorName, requireAccess } from '$lib/server/auth/guards';
import { RULE_ROLES } from '$lib/server/alerts/actor';
import { readJson } from '$lib/server/alerts/http-respond';
import { listRuleStatuses } from '$lib/server/alerts/rule-status';
import { deleteRule, updateRule } from '$lib/server/alerts/rules';

export const GET: RequestHandler = async ({ locals, params }) => {
	requireAccess(locals, { roles: RULE_ROLES });
	const rule = (await listRuleStatuses(await getDb(), 100)).find((r) => r.id === params.id);
	if (!rule) error(404, `no alert rule ${params.id}`);
	return json({ rule });
};

export const PUT: RequestHandler = async ({ locals, params, request }) => {
	const p = requireAccess(locals, { roles: RULE_ROLES });
	const r = await updateRule(await getDb(), params.id, await readJson(request), actorName(p));
	if (!r.ok && 'status' in r) error(r.status, r.errors[0].message);
	if (!r.ok) return json({ errors: r.errors }, { status: 422 });
	return json({ rule: r.value });
};

export const DELETE: RequestHandler = async ({ locals, params }) => {
	const p = requireAccess(locals, { roles: RULE_ROLES });
	if (!(await deleteRule(await getDb(), params.id, actorName(p)))) error(404, `no alert rule ${params.id}`);
	return new Response(null, { status: 204 });
};
