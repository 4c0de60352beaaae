import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { actorName, requireAccess } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { getDb } from '$lib/server/db';
import { parseBacktestRequest, parseCancelRequest } from '$lib/server/churn/models-overview-requests';
import { cancelBacktestJob, currentBacktestJob, startBacktestJob } from '$lib/server/churn/backtest-server-job';

/** Starts a backtest (one at a time); it runs for minutes and reports on the `backtest-progress` live event. */
export const POST: RequestHandler = async ({ locals, request }) => {
	const p = requireAccess(locals, { roles: ['analyst'] });
	const body = await parseBacktestRequest(request);
	if (!body.ok) return json({ errors: body.errors }, { status: body.malformed ? 400 : 422 });
	const cfg = config();
	const r = await startBacktestJob(await getDb(), { ...body.value, by: actorName(p), modelsDir: cfg.modelsDir, root: cfg.root });
	if (r.ok) return json({ run_id: r.value.run_id, job: r.value }, { status: 202 });
	if (r.kind === 'running') return json({ error: r.error, job: r.running }, { status: 409 });
	return json({ errors: r.errors }, { status: 422 });
};

/** Cancels the running backtest; `?run_id=` makes sure it is the one meant. */
export const DELETE: RequestHandler = async ({ locals, url }) => {
	const p = requireAccess(locals, { roles: ['analyst'] });
	const q = parseCancelRequest(url, 'backtest');
	if (!q.ok) return json({ errors: q.errors }, { status: 422 });
	const r = await cancelBacktestJob(await getDb(), { by: actorName(p), runId: q.value.runId });
	if (!r.ok) return json({ error: r.error, job: currentBacktestJob() }, { status: 409 });
	return json({ run_id: r.value.run_id, job: r.value });
};
