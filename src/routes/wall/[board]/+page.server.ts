// Kiosk wall: never redirects to a login page; an invalid or revoked token gets a clear screen.
import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { loadWall } from '$lib/server/metrics/wall';
import { firingMetricAlerts } from '$lib/server/alerts/firing-now';

export const load: PageServerLoad = async ({ locals, params, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
	const db = await getDb();
	const r = await loadWall(db, params.board, locals.principal);
	// Metric alerts are public on the stream too (live/audience.ts); walls show the ones firing.
	return r.ok
		? { ok: true as const, wall: r.value, firing: await firingMetricAlerts(db) }
		: { ok: false as const, error: r.error, message: r.message };
};
