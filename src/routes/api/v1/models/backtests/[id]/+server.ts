import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { getBacktestDetail } from '$lib/server/churn/backtest-runs';

export const GET: RequestHandler = async ({ locals, params }) => {
	requireAccess(locals, { roles: ['analyst'] });
	const detail = await getBacktestDetail(await getDb(), params.id);
	if (!detail) return json({ error: `no backtest ${params.id}` }, { status: 404 });
	return json(detail, { headers: { 'cache-control': 'no-store' } });
};
