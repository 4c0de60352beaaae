// POST /api/v1/events (DESIGN §10): JSON array, NDJSON or Arrow IPC stream (optionally gzip) → {accepted, duplicates}.
import { json } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { getDb } from '$lib/server/db';
import { receiveEvents } from '$lib/server/ingest';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, locals }) => {
	requireAccess(locals, { scopes: ['ingest'] });
	const r = await receiveEvents(
		await getDb(),
		{
			contentType: request.headers.get('content-type'),
			contentLength: request.headers.get('content-length'),
			contentEncoding: request.headers.get('content-encoding'),
			body: request.body
		},
		{ maxBodyBytes: config().maxBodyBytes, source: 'api' }
	);
	return json(r.body, { status: r.status });
};
