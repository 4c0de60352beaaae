import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { requireAccess } from '$lib/server/auth/guards';
import { RULE_ROLES } from '$lib/server/alerts/actor';
import { listDeliveries } from '$lib/server/alerts/webhooks';

export const GET: RequestHandler = async ({ locals }) => {
	requireAccess(locals, { roles: RULE_ROLES });
	return json(
		{ deliveries: await listDeliveries(await getDb()) },
		{ headers: { 'cache-control': 'no-store' } }
	);
};
