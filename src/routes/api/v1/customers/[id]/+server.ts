import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { requireAccess } from '$lib/server/auth/guards';
import { CUSTOMER_ROLES } from '$lib/server/alerts/actor';
import { loadCustomerProfile } from '$lib/server/customers/profile-with-reasons';
import { parseTimelineCursor } from '$lib/server/customers/profile';
import { unknownParamsMessage } from '$lib/server/api/unknown-params';

export const GET: RequestHandler = async ({ locals, params, url }) => {
	requireAccess(locals, { roles: CUSTOMER_ROLES });
	const unknown = unknownParamsMessage(url.searchParams, ['before', 'before_id']);
	if (unknown) return json({ error: unknown }, { status: 400 });
	const cursor = parseTimelineCursor(url.searchParams);
	if (!cursor.ok) return json({ error: cursor.error }, { status: 400 });
	const profile = await loadCustomerProfile(await getDb(), params.id, cursor.value);
	if (!profile) return json({ error: `no customer ${params.id}` }, { status: 404 });
	return json(profile, { headers: { 'cache-control': 'no-store' } });
};
