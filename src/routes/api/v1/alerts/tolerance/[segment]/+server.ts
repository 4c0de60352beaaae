import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { actorName, requireAccess } from '$lib/server/auth/guards';
import { removeToleranceSettings } from '$lib/server/alerts/tolerance-settings';
import { scheduleDebtRecompute } from '$lib/server/alerts/debt-recompute-job';

/**
 * Admin only: removes a segment's own settings; its customers fall back to '*' and their stored debt is
 * recomputed in the background, as after a save. 404 when the segment has no row; '*' is refused (422).
 */
export const DELETE: RequestHandler = async ({ locals, params }) => {
	const p = requireAccess(locals, { roles: [] });
	const db = await getDb();
	const r = await removeToleranceSettings(db, params.segment, actorName(p));
	if (!r.ok && r.status === 404) error(404, r.error);
	if (!r.ok) return json({ errors: [{ field: 'segment', message: r.error }] }, { status: r.status });
	scheduleDebtRecompute(db);
	return json({ segment: params.segment, removed: true, debt_recompute: 'started' });
};
