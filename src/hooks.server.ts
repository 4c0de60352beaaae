import { error, json, redirect, text, type Handle, type RequestEvent, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building, dev } from '$app/environment';
import { startServerProcess } from '$lib/server/startup';
import { config } from '$lib/server/config';
import { probeListen } from '$lib/server/listen-probe';
import { DatabaseInUseError, getDb, NewerSchemaError } from '$lib/server/db';
import { authenticateRequest } from '$lib/server/auth/authenticate';
import { decideRoute, isApiPath, routedPath } from '$lib/server/auth/route-policy';
import { clearedSessionCookieOptions, SESSION_COOKIE, sessionCookieOptions } from '$lib/server/auth/session-cookie';
import { toApiErrorResponse } from '$lib/server/auth/api-error';
import { crossSiteRefusal } from '$lib/server/auth/csrf';
import { sameOrigins, servedUrl } from '$lib/server/auth/served-origin';
import { jsonBodyTypeRefusal } from '$lib/server/api/json-body-type';
import { discardBody } from '$lib/server/ingest/read-body';

export const init: ServerInit = async () => {
	// The built server's address, before the admin is created or anything else starts (vite dev listens itself).
	const cfg = config();
	if (!dev && !building && cfg.socketPath === null) {
		const probe = await probeListen(cfg.host, cfg.port);
		if (!probe.ok) {
			console.error(`cx-command: ${probe.error}`);
			process.exit(1);
		}
	}
	try {
		await startServerProcess();
	} catch (e) {
		if (e instanceof DatabaseInUseError || e instanceof NewerSchemaError) {
			console.error(`cx-command: ${e.message}`);
			process.exit(1);
		}
		throw e;
	}
};

/** Runs before authentication so a forged request touches no session (not even its sliding expiry). */
const refuseCrossSite: Handle = ({ event, resolve }) => {
	const h = event.request.headers;
	const path = routedPath(event.url.pathname);
	const message = crossSiteRefusal({
		method: event.request.method,
		path,
		origin: h.get('origin'),
		appOrigins: sameOrigins(event.url),
		contentType: h.get('content-type'),
		authorization: h.get('authorization'),
		cookie: h.get('cookie')
	});
	if (message === null) return resolve(event);
	// The body is not drained under the answer (discardBody) as for signed-in callers: nobody is known yet,
	// and reading uploads for anonymous callers would be free work for anyone.
	// Pages answer exactly as SvelteKit's own check did (form actions read {message}).
	if (isApiPath(path)) return json({ error: message }, { status: 403 });
	return h.get('accept') === 'application/json' ? json({ message }, { status: 403 }) : text(message, { status: 403 });
};

/** Why presented credentials were refused, for authorize's 401 message. */
const refusals = new WeakMap<App.Locals, string>();

const authenticate: Handle = async ({ event, resolve }) => {
	const a = await authenticateRequest(await getDb(), {
		method: event.request.method,
		path: event.url.pathname,
		authorization: event.request.headers.get('authorization'),
		tokenParam: event.url.searchParams.get('token'),
		sessionCookie: event.cookies.get(SESSION_COOKIE)
	});
	event.locals.principal = a.principal;
	if (a.refusal) refusals.set(event.locals, a.refusal);
	if (a.cookie?.action === 'refresh') event.cookies.set(SESSION_COOKIE, a.cookie.token, sessionCookieOptions(servedUrl(event.url), a.cookie.session.expiresAt));
	if (a.cookie?.action === 'clear') event.cookies.delete(SESSION_COOKIE, clearedSessionCookieOptions(servedUrl(event.url)));
	return resolve(event);
};

function loginRedirect(event: RequestEvent): never {
	const next = event.url.pathname + event.url.search;
	// A session cookie that no longer works (signed out elsewhere, expired): the login page says why.
	const ended = refusals.has(event.locals) ? 'ended=1' : '';
	const query = [next === '/' ? '' : `next=${encodeURIComponent(next)}`, ended].filter(Boolean).join('&');
	redirect(303, query ? `/login?${query}` : '/login');
}

const authorize: Handle = async ({ event, resolve }) => {
	const path = routedPath(event.url.pathname);
	const d = decideRoute(event.locals.principal, event.request.method, path);
	const api = isApiPath(path);
	if (d.kind === 'login') loginRedirect(event);
	if (d.kind === 'deny') {
		const message = d.status === 401 ? (refusals.get(event.locals) ?? d.message) : d.message;
		if (api) return json({ error: message }, { status: d.status, headers: d.status === 401 ? { 'www-authenticate': 'Bearer' } : {} });
		// Pages of the app render their 403 inside the shell: the (app) layout applies the same policy on load.
		const inAppShell = event.route.id?.startsWith('/(app)') && event.request.method === 'GET' && d.status === 403;
		if (!inAppShell) error(d.status, message);
	}
	// An API client that mistypes a path gets JSON like every other API answer, not the app's 404 page.
	if (api && event.route.id === null) return json({ error: `no API endpoint ${path}` }, { status: 404 });
	const h = event.request.headers;
	const badType = api
		? jsonBodyTypeRefusal({
				method: event.request.method,
				path,
				contentType: h.get('content-type'),
				contentLength: h.get('content-length'),
				transferEncoding: h.get('transfer-encoding')
			})
		: null;
	if (badType !== null) {
		if (event.locals.principal) discardBody(event.request.body);
		return json({ error: badType }, { status: 415 });
	}
	const response = await resolve(event);
	if (api) return toApiErrorResponse(response);
	// A page with a customer's data must not come back from the browser's cache after sign-out (Back on a shared
	// desk showed the last customer); SvelteKit sends pages without any cache header.
	if (event.locals.principal && !response.headers.has('cache-control') && response.headers.get('content-type')?.startsWith('text/html'))
		response.headers.set('cache-control', 'private, no-store');
	return response;
};

export const handle: Handle = sequence(refuseCrossSite, authenticate, authorize);
