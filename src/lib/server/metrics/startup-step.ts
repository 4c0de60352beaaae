// Links a history imported while the server was stopped in the background at start, so the churn
// tile is ready soon without a first viewer waiting for it (rollup-activity.ts).
import { log } from '../log';
import type { StartupStep } from '../startup';
import { activityBacklog, catchUpActivity } from './rollup-activity';

/** Backlogs smaller than this are linked by the first tile read without a log line. */
const LOG_FROM = 100_000;

export const activityLinksStep: StartupStep = {
	name: 'activity links',
	async run(db) {
		const n = await activityBacklog(db);
		if (n < LOG_FROM) return;
		log.info(`churn tile: linking ${n.toLocaleString('en-US')} stored activity records in the background`);
		const t = performance.now();
		void catchUpActivity(db)
			.then(() => log.info(`churn tile: activity linked in ${((performance.now() - t) / 1000).toFixed(1)} s`))
			.catch((e: unknown) => log.warn(`churn tile: linking activity failed, retried on the next tile read: ${e instanceof Error ? e.message : String(e)}`));
	}
};
