// GET /api/v1/stream?window=&channel=&segment= (or windows=1h,24h) → Server-Sent Events (DESIGN §7). Display tokens may
// come as ?token= because EventSource cannot set headers (the auth hook reads it).
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireAccess } from '$lib/server/auth/guards';
import { parseStreamScopes } from '$lib/server/metrics/tile-query';
import { unknownParamsMessage } from '$lib/server/api/unknown-params';
import { viewFor } from '$lib/server/live/audience';
import { createSseResponse } from '$lib/server/live/sse';
import { runningTicker } from '$lib/server/live/ticker';

export const GET: RequestHandler = ({ locals, url, request }) => {
	const principal = requireAccess(locals, { roles: ['analyst', 'retention', 'executive'], display: true });
	const unknown = unknownParamsMessage(url.searchParams, ['window', 'windows', 'channel', 'segment', 'token', 'lastEventId']);
	if (unknown) error(400, unknown);
	const scopes = parseStreamScopes(url.searchParams);
	if (!scopes.ok) error(400, scopes.error);
	const ticker = runningTicker();
	if (!ticker) error(503, 'live updates are starting; retry shortly');
	return createSseResponse({
		lastEventId: request.headers.get('last-event-id') ?? url.searchParams.get('lastEventId'),
		signal: request.signal,
		view: viewFor(principal),
		onOpen: () => {
			const releases = scopes.value.map((s) => ticker.watch(s));
			return () => releases.forEach((r) => r());
		}
	});
};
