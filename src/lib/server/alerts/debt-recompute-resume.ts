// At server start: the debt recomputes a stopped server left owed (saved tolerance settings whose
// recompute had not ended) go on from their cursor, in the background, with a log line each.
import { log } from '../log';
import { onShutdown } from '../shutdown';
import type { StartupStep } from '../startup';
import { scheduleDebtRecompute, stopDebtRecompute } from './debt-recompute-job';
import { pendingRecomputes } from './debt-recompute-pending';

export const debtRecomputeStep: StartupStep = {
	name: 'debt recompute',
	async run(db) {
		// Registered even when nothing is owed now: a settings save starts the job later.
		onShutdown({ name: 'debt recompute', phase: 'writers', stop: stopDebtRecompute });
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
