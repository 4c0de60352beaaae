import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { requireAccess } from '$lib/server/auth/guards';
import { READ_ROLES } from '$lib/server/alerts/actor';
import { readJson } from '$lib/server/alerts/http-respond';
import {
	DEFAULT_TOLERANCE,
	EXPERIENCE_LABELS,
	type ToleranceSettings
} from '$lib/server/alerts/tolerance-defaults';
import { listToleranceSettings, saveToleranceSettings } from '$lib/server/alerts/tolerance-settings';

/** Tolerance settings per segment ('*' = every segment without its own), the defaults and the kinds' labels. */
export const GET: RequestHandler = async ({ locals }) => {
	requireAccess(locals, { roles: READ_ROLES });
	return json({
		segments: await listToleranceSettings(await getDb()),
		defaults: DEFAULT_TOLERANCE,
		kinds: EXPERIENCE_LABELS
	});
};

/** Sets one segment's settings: {segment, weights?, halfLifeDays?, limit?, firstResponseSlaHours?} over the defaults. Admin only. */
export const PUT: RequestHandler = async ({ locals, request }) => {
	requireAccess(locals, { roles: [] });
	const body = ((await readJson(request)) ?? {}) as Partial<ToleranceSettings> & { segment?: unknown };
	if (typeof body.segment !== 'string')
		return json({ errors: [{ field: 'segment', message: 'segment is required' }] }, { status: 422 });
	const settings: ToleranceSettings = {
		weights: { ...DEFAULT_TOLERANCE.weights, ...(body.weights ?? {}) },
		halfLifeDays: body.halfLifeDays ?? DEFAULT_TOLERANCE.halfLifeDays,
		limit: body.limit ?? DEFAULT_TOLERANCE.limit,
		firstResponseSlaHours: body.firstResponseSlaHours ?? DEFAULT_TOLERANCE.firstResponseSlaHours
	};
	const r = await saveToleranceSettings(await getDb(), body.segment, settings);
	if (!r.ok) return json({ errors: r.errors }, { status: 422 });
	return json({ segment: body.segment, settings });
};
