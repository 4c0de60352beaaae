// GET /api/v1/export/events.parquet?from=&to= → the events of [from, to) as Parquet (DESIGN §10; analysts).
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { requireAccess } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { unknownParamsMessage } from '$lib/server/api/unknown-params';
import { exportEventsParquet } from '$lib/server/export/events-parquet';
import { streamTempFile, tempFilePath } from '$lib/server/export/temp-file';

export const GET: RequestHandler = async ({ locals, url }) => {
	requireAccess(locals, { roles: ['analyst'] });
	const unknown = unknownParamsMessage(url.searchParams, ['from', 'to']);
	if (unknown) error(400, unknown);
	const range = { from: url.searchParams.get('from'), to: url.searchParams.get('to') };
	const path = tempFilePath('events', '.parquet');
	const r = await exportEventsParquet(await getDb(), range, path);
	if (!r.ok) error(400, r.error);
	const name = `events${range.from ? `-from-${range.from.slice(0, 10)}` : ''}${range.to ? `-to-${range.to.slice(0, 10)}` : ''}.parquet`;
	return streamTempFile(path, {
		'content-type': 'application/vnd.apache.parquet',
		'content-disposition': `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`,
		'x-row-count': String(r.value.rows),
		'cache-control': 'no-store'
	});
};
