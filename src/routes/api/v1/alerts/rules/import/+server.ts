import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { actorName, requireAccess } from '$lib/server/auth/guards';
import { RULE_ROLES } from '$lib/server/alerts/actor';
import { readJson } from '$lib/server/alerts/http-respond';
import { importRules } from '$lib/server/alerts/rules';

/** Imports an export ({version, rules}); all rules are validated before any is stored. */
export const POST: RequestHandler = async ({ locals, request }) => {
	const p = requireAccess(locals, { roles: RULE_ROLES });
	const r = await importRules(await getDb(), await readJson(request), actorName(p));
	if (!r.ok) return json({ errors: r.errors }, { status: 422 });
	return json(r.value);
};
