import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { requireAccess } from '$lib/server/auth/guards';
import { RULE_ROLES } from '$lib/server/alerts/actor';
import { readJson } from '$lib/server/alerts/http-respond';
import { previewMetricRule } from '$lib/server/alerts/rule-preview';

/** {definition} of a metric rule → how often it would have fired over the last 24 h. */
export const POST: RequestHandler = async ({ locals, request }) => {
	requireAccess(locals, { roles: RULE_ROLES });
	const body = (await readJson(request)) as { definition?: unknown } | null;
	const r = await previewMetricRule(await getDb(), body?.definition);
	if (!r.ok) return json({ errors: r.errors }, { status: 422 });
	return json(r.value);
};
