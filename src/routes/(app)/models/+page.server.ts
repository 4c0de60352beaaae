import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { listModels } from '$lib/server/churn/models-overview';
import { currentTrainJob } from '$lib/server/churn/models-overview-train';

export const load: PageServerLoad = ({ locals }) => {
	requireUser(locals, ['analyst']);
	return { ...listModels(config().modelsDir), training: currentTrainJob() };
};
