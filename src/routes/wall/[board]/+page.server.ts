// Kiosk wall: never redirects to a login page; an invalid or revoked token gets a clear screen.
import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { loadWall } from '$lib/server/metrics/wall';

export const load: PageServerLoad = async ({ locals, params, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
	const r = await loadWall(await getDb(), params.board, locals.principal);
	return r.ok ? { ok: true as const, wall: r.value } : { ok: false as const, error: r.error, message: r.message };
};
