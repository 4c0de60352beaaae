import { error } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { forbiddenPageMessage, mayOpenPage, navFor, routedPath } from '$lib/server/auth/route-policy';
import type { SessionUser } from '$lib/shared/auth-types';

export const load: LayoutServerLoad = ({ locals, url }) => {
	const p = requireUser(locals);
	const user: SessionUser = { id: p.userId, username: p.username, role: p.role };
	// Same table as the auth hook; here the 403 renders inside the shell, with navigation to pages the role may open.
	const path = routedPath(url.pathname);
	if (!mayOpenPage(p.role, path)) error(403, forbiddenPageMessage(p.role, path));
	return { user, nav: navFor(p.role) };
};
