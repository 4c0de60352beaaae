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

const running = new Map<string, Promise<void>>();

/** Scores the customer again with reasons; true when that finished within `waitMs`. */
export async function explainCustomer(db: Db, customerId: string, waitMs = WAIT_MS): Promise<boolean> {
	let job = running.get(customerId);
	if (!job) {
		const { modelsDir, root } = config();
		job = scoreCustomers(db, [customerId], { modelsDir, engine: sharedChildEngine(root) })
			.then((r) => {
				if (!r.ok) log.warn(`churn reasons for ${customerId}: ${r.error}`);
			})
			.catch((e: unknown) => log.warn(`churn reasons for ${customerId}: ${e instanceof Error ? e.message : String(e)}`))
			.finally(() => running.delete(customerId));
		running.set(customerId, job);
	}
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), waitMs)));
	try {
		return await Promise.race([job.then(() => true as const), late]);
	} finally {
		clearTimeout(timer);
	}
}
