import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireAccess } from '$lib/server/auth/guards';
import { RULE_ROLES } from '$lib/server/alerts/actor';
import { exportRules } from '$lib/server/alerts/rules';

export const GET: RequestHandler = async ({ locals }) => {
	requireAccess(locals, { roles: RULE_ROLES });
	return json(await exportRules(await getDb()), {
		headers: {
			'content-disposition': 'attachment; filename="cx-alert-rules.json"',
			'cache-control': 'no-store'
		}
	});
};
