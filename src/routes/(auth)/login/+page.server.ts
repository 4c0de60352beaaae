import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { signIn } from '$lib/server/auth/sign-in';
import { loginRateLimiter } from '$lib/server/auth/rate-limit';
import { safeNextPath } from '$lib/server/auth/route-policy';
import { SESSION_COOKIE, sessionCookieOptions } from '$lib/server/auth/session-cookie';
import { servedUrl } from '$lib/server/auth/served-origin';

export const load: PageServerLoad = ({ locals, url }) => {
	const next = safeNextPath(url.searchParams.get('next'));
	if (locals.principal?.kind === 'user') redirect(303, next);
	return { next, ended: url.searchParams.get('ended') === '1' };
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress, setHeaders }) => {
		const form = await request.formData();
		const username = String(form.get('username') ?? '');
		const password = String(form.get('password') ?? '');
		const next = safeNextPath(String(form.get('next') ?? url.searchParams.get('next') ?? '/'));
		if (!username.trim() || !password) return fail(400, { username, next, message: 'enter your username and password' });
		let address: string;
		try {
			address = getClientAddress();
		} catch {
			// adapter-node throws when ADDRESS_HEADER is set but the request lacks it: it did not come through the proxy.
			return fail(400, { username, next, message: 'sign in through the address your administrator gave you (this request did not pass the proxy the server expects)' });
		}
		const r = await signIn(await getDb(), loginRateLimiter(), { username, password, address });
		if (!r.ok) {
			if (r.error === 'rate-limited') {
				setHeaders({ 'retry-after': String(r.retryAfterSeconds) });
				return fail(429, { username, next, message: r.message, retryAfterSeconds: r.retryAfterSeconds });
			}
			return fail(r.error === 'disabled' ? 403 : 400, { username, next, message: r.message });
		}
		cookies.set(SESSION_COOKIE, r.value.token, sessionCookieOptions(servedUrl(url), r.value.session.expiresAt));
		redirect(303, next);
	}
};
