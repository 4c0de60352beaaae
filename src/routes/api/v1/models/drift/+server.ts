import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { getDb } from '$lib/server/db';
import { computeDriftCached } from '$lib/server/churn/drift';
import { sharedChildEngine } from '$lib/server/churn/score-engine';

export const GET: RequestHandler = async ({ locals, url }) => {
	requireAccess(locals, { roles: ['analyst'] });
	const cfg = config();
	const r = await computeDriftCached(await getDb(cfg.dbPath), cfg.modelsDir, sharedChildEngine(cfg.root), {
		fresh: url.searchParams.get('fresh') === '1'
	});
	// No champion or no recent data is a normal state of the page, not a failure of the request.
	return json(r.ok ? { drift: r.value, reason: null } : { drift: null, reason: r.error }, { headers: { 'cache-control': 'no-store' } });
};
