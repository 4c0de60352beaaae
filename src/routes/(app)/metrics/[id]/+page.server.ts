import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { computeDrilldown } from '$lib/server/metrics/drilldown';
import { churnOptions } from '$lib/server/metrics/overview';
import { findMetric } from '$lib/server/metrics/definitions';
import { checkScopeSegment, listSegments } from '$lib/server/metrics/segments';
import { parseTileScope } from '$lib/server/metrics/tile-query';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireUser(locals);
	const metric = findMetric(params.id);
	if (!metric) error(404, `unknown metric ${params.id}`);
	const parsed = parseTileScope(url.searchParams);
	if (!parsed.ok) error(400, parsed.error);
	const db = await getDb();
	const scope = await checkScopeSegment(db, parsed.value);
	if (!scope.ok) error(400, scope.error);
	const [r, segments] = await Promise.all([computeDrilldown(db, metric.id, scope.value, { churn: churnOptions() }), listSegments(db)]);
	if (!r.ok) error(404, r.error);
	return { scope: scope.value, drill: r.value, description: metric.description, segments };
};
