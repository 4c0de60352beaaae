// GET /api/v1/stream?window=&channel=&segment= (or windows=1h,24h) → Server-Sent Events (DESIGN §7). Display tokens may
// come as ?token= because EventSource cannot set headers (the auth hook reads it).
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { accessRefusal, requireAccess, type ApiAccess } from '$lib/server/auth/guards';
import { accessRecheck } from '$lib/server/auth/access-recheck';
import { SESSION_COOKIE } from '$lib/server/auth/session-cookie';
import { getDb } from '$lib/server/db';
import { parseStreamScopes } from '$lib/server/metrics/tile-query';
import { checkScopeSegment } from '$lib/server/metrics/segments';
import { unknownParamsMessage } from '$lib/server/api/unknown-params';
import { viewFor } from '$lib/server/live/audience';
import { createSseResponse } from '$lib/server/live/sse';
import { runningTicker } from '$lib/server/live/ticker';

const ACCESS: ApiAccess = { roles: ['analyst', 'retention', 'executive'], display: true };

export const GET: RequestHandler = async ({ locals, url, request, cookies }) => {
	const principal = requireAccess(locals, ACCESS);
	const unknown = unknownParamsMessage(url.searchParams, ['window', 'windows', 'channel', 'segment', 'token', 'lastEventId']);
	if (unknown) error(400, unknown);
	const scopes = parseStreamScopes(url.searchParams);
	if (!scopes.ok) error(400, scopes.error);
	// As GET /api/v1/metrics: a mistyped segment would stream empty tiles for ever.
	const db = await getDb();
	for (const s of scopes.value) {
		const checked = await checkScopeSegment(db, s);
		if (!checked.ok) error(400, checked.error);
	}
	const ticker = runningTicker();
	if (!ticker) error(503, 'live updates are starting; retry shortly');
	return createSseResponse({
		lastEventId: request.headers.get('last-event-id') ?? url.searchParams.get('lastEventId'),
		signal: request.signal,
		view: viewFor(principal),
		stillAllowed: accessRecheck(
			() => getDb(),
			{
				method: request.method,
				path: url.pathname,
				authorization: request.headers.get('authorization'),
				tokenParam: url.searchParams.get('token'),
				sessionCookie: cookies.get(SESSION_COOKIE)
			},
			principal,
			(p) => accessRefusal(p, ACCESS) === null
		),
		onOpen: () => {
			const releases = scopes.value.map((s) => ticker.watch(s));
			return () => releases.forEach((r) => r());
		}
	});
};
