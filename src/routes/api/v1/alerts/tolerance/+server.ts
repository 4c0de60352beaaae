import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { actorName, requireAccess } from '$lib/server/auth/guards';
import { RULE_ROLES } from '$lib/server/alerts/actor';
import { readJson } from '$lib/server/alerts/http-respond';
import { getToleranceApi, putToleranceApi } from '$lib/server/alerts/tolerance-api';
import { ownLimitCounts } from '$lib/server/alerts/tolerance-form';
import { scheduleDebtRecompute } from '$lib/server/alerts/debt-recompute-job';

/** The settings, and per segment how many customers carry their own limit (which no segment limit changes). */
export const GET: RequestHandler = async ({ locals }) => {
	requireAccess(locals, { roles: RULE_ROLES });
	const db = await getDb();
	return json({ ...(await getToleranceApi(db)), customers: await ownLimitCounts(db) });
};

/**
 * Admin only: tolerance changes every customer's debt and alerts. The stored debt of the segment's
 * customers (everyone's for '*') is then recomputed in the background: `debt_recompute` says so.
 */
export const PUT: RequestHandler = async ({ locals, request }) => {
	const p = requireAccess(locals, { roles: [] });
	const db = await getDb();
	const r = await putToleranceApi(db, await readJson(request), actorName(p));
	if (!r.ok) return json({ errors: r.errors }, { status: 422 });
	scheduleDebtRecompute(db);
	return json({ ...r.value, debt_recompute: 'started' });
};
