// Kiosk wall: never redirects to a login page; an invalid or revoked token gets a clear screen.
import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { loadWall } from '$lib/server/metrics/wall';
import { firingMetricAlerts } from '$lib/server/alerts/firing-now';
import { zoneParam } from '$lib/shared/time-zone';

export const load: PageServerLoad = async ({ locals, params, setHeaders, url }) => {
	setHeaders({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
	const db = await getDb();
	const r = await loadWall(db, params.board, locals.principal, !!url.searchParams.get('token'));
	// ?tz= overrides the browser's zone for a wall box whose system zone is wrong.
	const tz = zoneParam(url.searchParams.get('tz'));
	// Metric alerts are public on the stream too (live/audience.ts); walls show the ones firing.
	return r.ok
		? { ok: true as const, wall: r.value, firing: await firingMetricAlerts(db), tz }
		: { ok: false as const, error: r.error, message: r.message, tz };
};
