import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { getDb } from '$lib/server/db';
import { backtestList } from '$lib/server/churn/backtest-server-job';

export const GET: RequestHandler = async ({ locals }) => {
	requireAccess(locals, { roles: ['analyst'] });
	return json(await backtestList(await getDb(), config().modelsDir), { headers: { 'cache-control': 'no-store' } });
};
