// At server start: the debt recomputes a stopped server left owed (saved tolerance settings whose
// recompute had not ended) go on from their cursor, in the background, with a log line each.
import { log } from '../log';
import type { StartupStep } from '../startup';
import { scheduleDebtRecompute } from './debt-recompute-job';
import { pendingRecomputes } from './debt-recompute-pending';

export const debtRecomputeStep: StartupStep = {
	name: 'debt recompute',
	async run(db) {
		const owed = await pendingRecomputes(db);
		if (!owed.length) return;
		for (const p of owed) {
			const whose = p.segments ? `segment ${p.segments.join(', ')}` : 'every segment (*)';
			const where = p.after === null ? 'from the first customer' : `after customer ${p.after}`;
			log.info(`debt recompute: resuming ${whose} ${where} (saved ${p.savedAt} UTC)`);
		}
		scheduleDebtRecompute(db);
	}
};
