import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { getDb } from '$lib/server/db';
import { listModels } from '$lib/server/churn/models-overview';
import { promoteWarnings, type PromoteWarning } from '$lib/server/churn/models-overview-promote';
import { challengerTarget, currentTrainJob } from '$lib/server/churn/models-overview-train';
import { listTrainRuns } from '$lib/server/churn/train-runs';
import { computeInterventionEffect } from '$lib/server/alerts/intervention-effect';
import { backtestList } from '$lib/server/churn/backtest-server-job';
import { DEFAULT_HYPER } from '$lib/server/churn/model';

export const load: PageServerLoad = async ({ locals }) => {
	requireUser(locals, ['analyst']);
	const db = await getDb();
	const interventions = await computeInterventionEffect(db, { inactivityDays: config().churnInactivityDays });
	const models = listModels(config().modelsDir);
	const champion = models.versions.find((v) => v.champion) ?? null;
	// The same warnings `cx promote` prints, for the promote dialog and the versions table.
	const warnings: Record<string, PromoteWarning[]> = Object.fromEntries(models.versions.filter((v) => !v.champion).map((v) => [v.version, promoteWarnings(v, champion)]));
	// What "Train challenger" will predict: the champion's definition and horizon.
	const challenger = challengerTarget(config().modelsDir, {});
	// The recorded runs, not the server's memory: a failure stays visible after a restart.
	const recentRuns = await listTrainRuns(db);
	// Backtests run from this page or `cx backtest`, and the one running now.
	const backtests = await backtestList(db, config().modelsDir);
	// The train form's Advanced fields show the defaults an empty field takes.
	return { ...models, promoteWarnings: warnings, training: currentTrainJob(), recentRuns, challenger, trainEpochs: DEFAULT_HYPER.epochs, interventions, backtests };
};
