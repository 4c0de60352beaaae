import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guards';
import { getDb } from '$lib/server/db';
import { backtestScoresCsv, getBacktestRun } from '$lib/server/churn/backtest-runs';

/** The judged customers' scores, as `cx backtest --scores-out` writes them. */
export const GET: RequestHandler = async ({ locals, params }) => {
	requireAccess(locals, { roles: ['analyst'] });
	const db = await getDb();
	const run = await getBacktestRun(db, params.id);
	if (!run) return json({ error: `no backtest ${params.id}` }, { status: 404 });
	const csv = await backtestScoresCsv(db, params.id);
	if (csv === null) return json({ error: `backtest ${params.id} has no scores (${run.state}${run.error ? `: ${run.error}` : ''})` }, { status: 404 });
	const name = `backtest-${run.cutoff}-${run.horizon_days}d-${run.id.slice(0, 8)}.csv`;
	return new Response(csv, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' } });
};
