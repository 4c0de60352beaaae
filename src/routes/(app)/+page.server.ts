import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { loadOverview } from '$lib/server/metrics/overview';
import { firingMetricAlerts } from '$lib/server/alerts/firing-now';
import { parseTileScope } from '$lib/server/metrics/tile-query';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireUser(locals);
	const scope = parseTileScope(url.searchParams);
	if (!scope.ok) error(400, scope.error);
	const db = await getDb();
	const [overview, firing] = await Promise.all([loadOverview(db, scope.value), firingMetricAlerts(db)]);
	return { scope: scope.value, ...overview, firing };
};
