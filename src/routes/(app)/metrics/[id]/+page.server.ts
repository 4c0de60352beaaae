import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { accessRefusal, requireUser } from '$lib/server/auth/guards';
import { CUSTOMER_ROLES } from '$lib/server/alerts/actor';
import { getDb } from '$lib/server/db';
import { atRiskCustomersLink } from '$lib/server/metrics/at-risk-link';
import { loadRiskCounters } from '$lib/server/metrics/risk-queries';
import { atRiskMeaning } from '$lib/server/metrics/at-risk-meaning';
import { config } from '$lib/server/config';
import { computeDrilldown } from '$lib/server/metrics/drilldown';
import { churnOptions } from '$lib/server/metrics/overview';
import { findMetric } from '$lib/server/metrics/definitions';
import { checkScopeSegment, listSegments } from '$lib/server/metrics/segments';
import { parseTileScope } from '$lib/server/metrics/tile-query';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals);
	const metric = findMetric(params.id);
	if (!metric) error(404, `unknown metric ${params.id}`);
	const parsed = parseTileScope(url.searchParams);
	if (!parsed.ok) error(400, parsed.error);
	const db = await getDb();
	const scope = await checkScopeSegment(db, parsed.value);
	if (!scope.ok) error(400, scope.error);
	const mayListCustomers = accessRefusal(user, { roles: CUSTOMER_ROLES }) === null;
	// An at-risk tile and its "Customers at risk (N)" link count the same customers: read once for both.
	const risk = metric.source === 'risk' ? await loadRiskCounters(db, scope.value.segment) : undefined;
	const [r, segments, atRisk] = await Promise.all([
		computeDrilldown(db, metric.id, scope.value, { churn: churnOptions(), risk }),
		listSegments(db),
		mayListCustomers ? atRiskCustomersLink(db, metric.id, scope.value.segment, risk) : null
	]);
	if (!r.ok) error(404, r.error);
	return {
		scope: scope.value,
		drill: r.value,
		description: metric.description,
		// The page shades and words the thresholds only at the window they were set for (churn: 30 d).
		thresholdWindow: metric.thresholdWindow ?? null,
		segments,
		atRisk,
		atRiskMeaning: atRiskMeaning(config().modelsDir, metric.id)
	};
};
