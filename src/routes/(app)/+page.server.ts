import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { loadOverview } from '$lib/server/metrics/overview';
import { firingMetricAlerts } from '$lib/server/alerts/firing-now';
import { parseTileScope } from '$lib/server/metrics/tile-query';
import { checkScopeSegment } from '$lib/server/metrics/segments';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireUser(locals);
	const parsed = parseTileScope(url.searchParams);
	if (!parsed.ok) error(400, parsed.error);
	const db = await getDb();
	const scope = await checkScopeSegment(db, parsed.value);
	if (!scope.ok) error(400, scope.error);
	const [overview, firing] = await Promise.all([loadOverview(db, scope.value), firingMetricAlerts(db)]);
	return { scope: scope.value, ...overview, firing };
};
