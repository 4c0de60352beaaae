// What the server does once at start, in order (called from hooks.server.ts `init`).
// Each module contributes one step; a step that fails stops the start with its message.
import { config } from './config';
import { getDb, type Db } from './db';
import { log } from './log';
import { alertsStep } from './alerts/startup-step';
import { debtRecomputeStep } from './alerts/debt-recompute-resume';
import { liveTickerStep } from './live/startup-step';
import { demoStep } from './demo/startup-step';
import { adminBootstrapStep } from './auth/bootstrap';
import { churnScorerStep } from './churn/startup-step';
import { checkpointerStep } from './db/checkpointer';
import { activityLinksStep } from './metrics/startup-step';

export interface StartupStep {
	name: string;
	run: (db: Db) => Promise<void>;
}

/** Add a module's start step here (admin bootstrap, demo seed, ticker, scorer, ...). */
export const STARTUP_STEPS: StartupStep[] = [adminBootstrapStep, activityLinksStep, liveTickerStep, alertsStep, debtRecomputeStep, demoStep, churnScorerStep, checkpointerStep];

/** `skip` names steps to leave out (bench/memory-probe.ts splits the server's memory by step). */
export async function startServerProcess(options: { skip?: readonly string[] } = {}): Promise<void> {
	const cfg = config();
	const db = await getDb(cfg.dbPath);
	log.info(`database ${cfg.dbPath} ready`);
	for (const step of STARTUP_STEPS) {
		if (options.skip?.includes(step.name)) continue;
		const t = Date.now();
		await step.run(db);
		log.debug(`startup: ${step.name} (${Date.now() - t} ms)`);
	}
}
