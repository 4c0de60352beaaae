// Reasons on demand. A scoring round explains only its likeliest churners (an explanation costs about
// fifty forward passes per customer), so most stored scores have no reasons (NULL). The first time a
// customer's page or API answer shows such a score, that one customer is scored again with reasons.
import { config } from '../config';
import type { Db } from '../db';
import { log } from '../log';
import { scoreCustomers } from './score';
import { sharedChildEngine } from './score-engine';

/** How long a page waits for the reasons; after that it shows the score and they are stored later. */
const WAIT_MS = 3_000;

/**
 * done: scored again with reasons. pending: still running after `waitMs` (stored when it ends).
 * unscored: the champion no longer scores this customer (outside its population, e.g. a contract that
 * ended), or scoring failed (logged); the stored score stays as it was.
 */
export type ExplainOutcome = 'done' | 'pending' | 'unscored';

const running = new Map<string, Promise<ExplainOutcome>>();

export async function explainCustomer(db: Db, customerId: string, waitMs = WAIT_MS): Promise<ExplainOutcome> {
	let job = running.get(customerId);
	if (!job) {
		const { modelsDir, root } = config();
		job = scoreCustomers(db, [customerId], { modelsDir, engine: sharedChildEngine(root) })
			.then((r): ExplainOutcome => {
				if (!r.ok) log.warn(`churn reasons for ${customerId}: ${r.error}`);
				return r.ok && r.value.length > 0 ? 'done' : 'unscored';
			})
			.catch((e: unknown): ExplainOutcome => {
				log.warn(`churn reasons for ${customerId}: ${e instanceof Error ? e.message : String(e)}`);
				return 'unscored';
			})
			.finally(() => running.delete(customerId));
		running.set(customerId, job);
	}
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), waitMs)));
	try {
		return await Promise.race([job, late]);
	} finally {
		clearTimeout(timer);
	}
}
