import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { requireAccess } from '$lib/server/auth/guards';
import { CUSTOMER_ROLES } from '$lib/server/alerts/actor';
import { loadCustomerProfile } from '$lib/server/customers/profile-with-reasons';

export const GET: RequestHandler = async ({ locals, params }) => {
	requireAccess(locals, { roles: CUSTOMER_ROLES });
	const profile = await loadCustomerProfile(await getDb(), params.id);
	if (!profile) return json({ error: `no customer ${params.id}` }, { status: 404 });
	return json(profile, { headers: { 'cache-control': 'no-store' } });
};
