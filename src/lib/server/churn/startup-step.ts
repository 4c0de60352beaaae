// The scorer of the server process (DESIGN §1): once a champion exists, score every customer, then
// every SCORE_EVERY_MS re-score only customers with new events and publish their `score` events.
// Runs in the background; a failure is logged and retried on the next round, never fatal.
import { config } from '../config';
import type { Db } from '../db';
import { liveHub } from '../live/hub';
import { log } from '../log';
import type { StartupStep } from '../startup';
import { readManifest } from './registry';
import { scoreAll, scoreCustomers, staleCustomers } from './score';

const SCORE_EVERY_MS = 15_000;
/** Incremental rounds are capped so one round never holds the event loop for long. */
const MAX_PER_ROUND = 2_000;

const KEY = Symbol.for('cx-command.churn-scorer');
type WithScorer = typeof globalThis & { [KEY]?: { timer: NodeJS.Timeout | null; stopped: boolean } };

async function round(db: Db, modelsDir: string, state: { lastFullVersion: string | null }): Promise<void> {
	const champion = readManifest(modelsDir).champion;
	if (!champion) return;
	if (state.lastFullVersion !== champion) {
		const r = await scoreAll(db, { modelsDir });
		if (!r.ok) {
			log.debug(`churn scorer: ${r.error}`);
			return;
		}
		state.lastFullVersion = champion;
		log.info(`churn scorer: scored ${r.value.scored} customers with ${champion} in ${r.value.seconds.toFixed(1)} s`);
		return;
	}
	const ids = await staleCustomers(db, MAX_PER_ROUND);
	if (!ids.length) return;
	const r = await scoreCustomers(db, ids, { modelsDir });
	if (!r.ok) return;
	const hub = liveHub();
	const at = new Date().toISOString();
	for (const c of r.value) hub.publish('score', { customerId: c.customer_id, probability: c.probability, band: c.risk_band, modelVersion: c.model_version, at });
}

export const churnScorerStep: StartupStep = {
	name: 'churn scorer',
	async run(db) {
		const g = globalThis as WithScorer;
		if (g[KEY]) return;
		const holder = { timer: null as NodeJS.Timeout | null, stopped: false };
		g[KEY] = holder;
		const modelsDir = config().modelsDir;
		const state = { lastFullVersion: null as string | null };
		const loop = (delay: number) => {
			if (holder.stopped) return;
			holder.timer = setTimeout(() => {
				round(db, modelsDir, state)
					.catch((e: unknown) => log.error(`churn scorer: ${e instanceof Error ? e.message : String(e)}`))
					.finally(() => loop(SCORE_EVERY_MS));
			}, delay);
			holder.timer.unref();
		};
		process.once('sveltekit:shutdown', () => {
			holder.stopped = true;
			if (holder.timer) clearTimeout(holder.timer);
		});
		loop(2_000);
	}
};
