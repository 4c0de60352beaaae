import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { listModels } from '$lib/server/churn/models-overview';
import { currentTrainJob } from '$lib/server/churn/models-overview-train';

export const GET: RequestHandler = ({ locals }) => {
	requireAccess(locals, { roles: ['analyst'] });
	return json({ ...listModels(config().modelsDir), training: currentTrainJob() }, { headers: { 'cache-control': 'no-store' } });
};
