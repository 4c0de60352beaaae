import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { requireAccess } from '$lib/server/auth/guards';
import { RULE_ROLES } from '$lib/server/alerts/actor';
import { listDeliveries } from '$lib/server/alerts/webhooks';
import { unknownParamsMessage } from '$lib/server/api/unknown-params';

export const GET: RequestHandler = async ({ locals, url }) => {
	requireAccess(locals, { roles: RULE_ROLES });
	const unknown = unknownParamsMessage(url.searchParams, ['limit']);
	if (unknown) return json({ error: unknown }, { status: 400 });
	const raw = url.searchParams.get('limit');
	const limit = raw === null ? 100 : Number(raw);
	if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
		return json({ error: 'limit must be a whole number from 1 to 1000 (newest deliveries first)' }, { status: 400 });
	return json({ deliveries: await listDeliveries(await getDb(), limit) }, { headers: { 'cache-control': 'no-store' } });
};
