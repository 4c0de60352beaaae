// The wall boards a signed-in user may open (any of them: metrics/wall.ts), for those who have no
// Settings page to find them on (QA: an executive's navigation led to no wall at all).
import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { listBoards } from '$lib/server/metrics/board-store';
import { boardJson } from '$lib/server/metrics/board-json';
import { METRICS } from '$lib/server/metrics/definitions';

export const load: PageServerLoad = async ({ locals }) => {
	const u = requireUser(locals);
	const boards = (await listBoards(await getDb())).map(boardJson);
	return {
		boards,
		catalogue: METRICS.map((m) => ({ id: m.id, label: m.label, unit: m.unit, description: m.description })),
		isAdmin: u.role === 'admin'
	};
};
