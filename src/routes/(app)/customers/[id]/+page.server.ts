import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { config } from '$lib/server/config';
import { CUSTOMER_ROLES } from '$lib/server/alerts/actor';
import { loadCustomerProfile } from '$lib/server/customers/profile-with-reasons';
import { parseTimelineCursor } from '$lib/server/customers/profile';
import { riskBandNote } from '$lib/server/customers/risk-band-note';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const user = requireUser(locals, CUSTOMER_ROLES);
	const cursor = parseTimelineCursor(url.searchParams);
	if (!cursor.ok) error(400, cursor.error);
	const db = await getDb();
	const profile = await loadCustomerProfile(db, params.id, cursor.value);
	if (!profile) error(404, `no customer ${params.id}`);
	return {
		profile,
		bandNote: profile.score ? riskBandNote(config().modelsDir, profile.score.model_version, profile.score.risk_band) : null,
		// Notes written on the work list (and at resolution) for this customer's items, oldest first.
		notes: profile.work_items.flatMap((w) => w.notes).sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id)),
		now: new Date().toISOString(),
		canChangeItems: user.role === 'admin' || user.role === 'retention'
	};
};
