import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { computeDrilldown } from '$lib/server/metrics/drilldown';
import { churnOptions } from '$lib/server/metrics/overview';
import { findMetric } from '$lib/server/metrics/definitions';
import { parseTileScope } from '$lib/server/metrics/tile-query';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireUser(locals);
	const scope = parseTileScope(url.searchParams);
	if (!scope.ok) error(400, scope.error);
	const r = await computeDrilldown(await getDb(), params.id, scope.value, { churn: churnOptions() });
	if (!r.ok) error(404, r.error);
	return { scope: scope.value, drill: r.value, description: findMetric(params.id)?.description ?? '' };
};
