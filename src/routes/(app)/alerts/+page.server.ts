import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { READ_ROLES } from '$lib/server/alerts/actor';
import { loadWorkListPage } from '$lib/server/alerts/worklist-page';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, READ_ROLES);
	return {
		user: { username: user.username, role: user.role },
		...(await loadWorkListPage(await getDb(), url.searchParams, user.role, user.username))
	};
};
