// /logout. POST (the header's Sign out) ends the session: row deleted, cookie cleared. A GET never signs
// anyone out (a link, a prefetch or an image could): typed in the address bar it asks "Sign out?" with a
// button that POSTs, guarded against other sites' forms as every form post is (SvelteKit's origin check).
import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { invalidateSession } from '$lib/server/auth/session';
import { clearedSessionCookieOptions, SESSION_COOKIE } from '$lib/server/auth/session-cookie';
import { servedUrl } from '$lib/server/auth/served-origin';

export const load: PageServerLoad = ({ locals }) => {
	// Nobody to sign out: the sign-in page.
	if (locals.principal?.kind !== 'user') redirect(303, '/login');
	return { username: locals.principal.username };
};

export const actions: Actions = {
	default: async ({ locals, cookies, url }) => {
		if (locals.principal?.kind === 'user') await invalidateSession(await getDb(), locals.principal.sessionId);
		cookies.delete(SESSION_COOKIE, clearedSessionCookieOptions(servedUrl(url)));
		redirect(303, '/login');
	}
};
