// GET /api/v1/metrics?window=&channel=&segment= → the tile set (JSON, or Arrow IPC stream on request).
import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireAccess } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { config } from '$lib/server/config';
import { computeTileSet } from '$lib/server/metrics/tiles';
import { parseTileScope } from '$lib/server/metrics/tile-query';
import { checkScopeSegment } from '$lib/server/metrics/segments';
import { unknownParamsMessage } from '$lib/server/api/unknown-params';
import { ARROW_STREAM, tileSetToArrow } from '$lib/server/metrics/arrow';

export const GET: RequestHandler = async ({ locals, url, request }) => {
	requireAccess(locals, { roles: ['analyst', 'retention', 'executive'], display: true });
	// Display tokens come as Authorization: Bearer here (only walls and the stream take ?token=).
	const unknown = unknownParamsMessage(url.searchParams, ['window', 'channel', 'segment']);
	if (unknown) error(400, unknown);
	const parsed = parseTileScope(url.searchParams);
	if (!parsed.ok) error(400, parsed.error);
	const db = await getDb();
	const scope = await checkScopeSegment(db, parsed.value);
	if (!scope.ok) error(400, scope.error);
	const set = await computeTileSet(db, {
		...scope.value,
		churn: { inactivityDays: config().churnInactivityDays, lostBy: 'either' }
	});
	if ((request.headers.get('accept') ?? '').includes(ARROW_STREAM)) {
		return new Response(tileSetToArrow(set) as Uint8Array<ArrayBuffer>, {
			headers: { 'content-type': ARROW_STREAM, 'cache-control': 'no-store' }
		});
	}
	return json(set, { headers: { 'cache-control': 'no-store' } });
};
