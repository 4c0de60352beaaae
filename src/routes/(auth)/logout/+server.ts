// POST /logout: ends the session (row deleted, cookie cleared). GET is not accepted: a link must not sign anyone out.
import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { invalidateSession } from '$lib/server/auth/session';
import { clearedSessionCookieOptions, SESSION_COOKIE } from '$lib/server/auth/session-cookie';
import { servedUrl } from '$lib/server/auth/served-origin';

export const POST: RequestHandler = async ({ locals, cookies, url }) => {
	if (locals.principal?.kind === 'user') await invalidateSession(await getDb(), locals.principal.sessionId);
	cookies.delete(SESSION_COOKIE, clearedSessionCookieOptions(servedUrl(url)));
	redirect(303, '/login');
};
