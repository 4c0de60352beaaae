import { error } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { forbiddenPageMessage, mayOpenPage, navFor, routedPath } from '$lib/server/auth/route-policy';
import { alertCounts } from '$lib/server/alerts/firing-now';
import { getDb } from '$lib/server/db';
import type { SessionUser } from '$lib/shared/auth-types';

export const load: LayoutServerLoad = async ({ locals, url }) => {
	const p = requireUser(locals);
	const user: SessionUser = { id: p.userId, username: p.username, role: p.role };
	// Same table as the auth hook; here the 403 renders inside the shell, with navigation to pages the role may open.
	const path = routedPath(url.pathname);
	if (!mayOpenPage(p.role, path)) error(403, forbiddenPageMessage(p.role, path));
	const nav = navFor(p.role);
	// Only for those who can open the page the counts point to. Fresh on every navigation (the load reads
	// the path); a timer refreshing them would re-run every page's live effects, which read `data`.
	const alerts = nav.some((n) => n.href === '/alerts') ? await alertCounts(await getDb()) : null;
	return { user, nav, alerts };
};
