import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { requireAccess } from '$lib/server/auth/guards';
import { RULE_ROLES } from '$lib/server/alerts/actor';
import { readJson } from '$lib/server/alerts/http-respond';
import { previewMetricRule } from '$lib/server/alerts/rule-preview';
import { metricRuleSchema } from '$lib/server/alerts/rule-schema';
import { scopeErrors } from '$lib/server/alerts/rule-scope';

/** {definition} of a metric rule → how often it would have fired over the last 24 h. */
export const POST: RequestHandler = async ({ locals, request }) => {
	requireAccess(locals, { roles: RULE_ROLES });
	const db = await getDb();
	const body = (await readJson(request)) as { definition?: unknown } | null;
	// A segment no customer carries would replay as 24 h of no data: refused as saving it would be.
	const def = metricRuleSchema.safeParse(body?.definition);
	const scope = def.success ? await scopeErrors(db, [{ definition: def.data, prefix: '' }]) : [];
	if (scope.length) return json({ errors: scope }, { status: 422 });
	const r = await previewMetricRule(db, body?.definition);
	if (!r.ok) return json({ errors: r.errors }, { status: 422 });
	return json(r.value);
};
