import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { listModels } from '$lib/server/churn/models-overview';
import { currentTrainJob } from '$lib/server/churn/models-overview-train';
import { listTrainRuns } from '$lib/server/churn/train-runs';
import { getDb } from '$lib/server/db';

export const GET: RequestHandler = async ({ locals }) => {
	requireAccess(locals, { roles: ['analyst'] });
	const recent = await listTrainRuns(await getDb());
	return json({ ...listModels(config().modelsDir), training: currentTrainJob(), recent_runs: recent }, { headers: { 'cache-control': 'no-store' } });
};
