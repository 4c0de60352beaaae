import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { getDb } from '$lib/server/db';
import { listModels } from '$lib/server/churn/models-overview';
import { currentTrainJob } from '$lib/server/churn/models-overview-train';
import { computeInterventionEffect } from '$lib/server/alerts/intervention-effect';

export const load: PageServerLoad = async ({ locals }) => {
	requireUser(locals, ['analyst']);
	const interventions = await computeInterventionEffect(await getDb(), { inactivityDays: config().churnInactivityDays });
	return { ...listModels(config().modelsDir), training: currentTrainJob(), interventions };
};
