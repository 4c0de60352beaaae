// The scorer of the server process (DESIGN §1): once a champion exists, score every customer, then
// every SCORE_EVERY_MS re-score only customers with new events and publish one `score` event per
// round. Forward passes run in a child process (score-engine.ts); the database work stays here.
// Runs in the background; a failure is logged and retried on the next round, never fatal.
// Before it starts, training runs a stopped process left `running` are recorded as failed (train-runs.ts);
// when the server is stopped, its running training is ended and recorded so (models-overview-train.ts).
import { config } from '../config';
import type { Db } from '../db';
import { liveHub } from '../live/hub';
import { log } from '../log';
import { onShutdown } from '../shutdown';
import type { StartupStep } from '../startup';
import { historyLoading } from '../ingest/history-load';
import { readManifest } from './registry';
import { registryNotice } from './registry-notice';
import { scoreAll, scoreCustomers, staleCustomers } from './score';
import { sharedChildEngine, type ScoreEngine } from './score-engine';
import { interruptTrainingJob } from './models-overview-train';
import { BACKTEST_INTERRUPTED_ERROR, failInterruptedBacktests } from './backtest-runs';
import { interruptBacktestJob } from './backtest-server-job';
import { failInterruptedTrainRuns, INTERRUPTED_ERROR } from './train-runs';

/** A customer with new events is re-scored within this plus one round's time (goal: 10 s). */
const SCORE_EVERY_MS = 5_000;
/** Rounds are capped so a burst of new customers is spread over rounds, newest first. */
const MAX_PER_ROUND = 2_000;

const KEY = Symbol.for('cx-command.churn-scorer');
interface Scorer {
	timer: NodeJS.Timeout | null;
	stopped: boolean;
	/** The round in progress (it writes scores), and the recording of a training or backtest the stop ended. */
	round: Promise<void> | null;
	interrupting: Promise<void> | null;
}
type WithScorer = typeof globalThis & { [KEY]?: Scorer };

async function round(
	db: Db,
	modelsDir: string,
	engine: ScoreEngine,
	state: { lastFullVersion: string | null }
): Promise<void> {
	if (historyLoading()) return;
	const champion = readManifest(modelsDir).champion;
	if (!champion) return;
	if (state.lastFullVersion !== champion) {
		const r = await scoreAll(db, { modelsDir, engine });
		if (!r.ok) {
			log.debug(`churn scorer: ${r.error}`);
			return;
		}
		state.lastFullVersion = champion;
		log.info(
			`churn scorer: scored ${r.value.scored} customers with ${champion} in ${r.value.seconds.toFixed(1)} s`
		);
		return;
	}
	const ids = await staleCustomers(db, MAX_PER_ROUND);
	if (!ids.length) return;
	const r = await scoreCustomers(db, ids, { modelsDir, engine });
	if (!r.ok || !r.value.length) return;
	liveHub().publish('score', {
		modelVersion: r.value[0].model_version,
		at: new Date().toISOString(),
		scores: r.value.map((c) => ({ customerId: c.customer_id, probability: c.probability, band: c.risk_band }))
	});
}

export const churnScorerStep: StartupStep = {
	name: 'churn scorer',
	async run(db) {
		const g = globalThis as WithScorer;
		if (g[KEY]) return;
		const holder: Scorer = { timer: null, stopped: false, round: null, interrupting: null };
		g[KEY] = holder;
		// This process holds the database and has started no run yet: a `running` run is a previous process's.
		const interrupted = await failInterruptedTrainRuns(db);
		if (interrupted) log.warn(`churn training: ${interrupted} run(s) left running by a stopped process recorded as failed (${INTERRUPTED_ERROR})`);
		const lostBacktests = await failInterruptedBacktests(db);
		if (lostBacktests) log.warn(`churn backtest: ${lostBacktests} backtest(s) left running by a stopped process recorded as failed (${BACKTEST_INTERRUPTED_ERROR})`);
		const { modelsDir, root } = config();
		const notice = registryNotice(modelsDir);
		if (notice) log.warn(`churn scorer: ${notice}`);
		const engine = sharedChildEngine(root);
		const state = { lastFullVersion: null as string | null };
		const loop = (delay: number) => {
			if (holder.stopped) return;
			holder.timer = setTimeout(() => {
				holder.round = round(db, modelsDir, engine, state)
					// A round cut short by the server stopping (its scoring process closed) is not an error.
					.catch((e: unknown) => void (holder.stopped || log.error(`churn scorer: ${e instanceof Error ? e.message : String(e)}`)))
					.finally(() => {
						holder.round = null;
						loop(SCORE_EVERY_MS);
					});
			}, delay);
			holder.timer.unref();
		};
		// adapter-node's SIGTERM/SIGINT handler waits for the event loop to empty, and a training child keeps it
		// busy until the training ends (minutes): end the training (and a backtest) first (recorded as failed, nothing saved).
		const stopping = (signal: NodeJS.Signals) => {
			process.off('SIGTERM', stopping);
			process.off('SIGINT', stopping);
			holder.interrupting = Promise.all([interruptTrainingJob(db), interruptBacktestJob(db)])
				.then(() => undefined)
				.catch((e: unknown) => log.error(`churn training: could not record the run the stop ended: ${e instanceof Error ? e.message : String(e)}`))
				// As live/startup-step.ts: where nothing else handles the signal (vite dev), raise it again.
				.finally(() => {
					if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
				});
		};
		process.on('SIGTERM', stopping);
		process.on('SIGINT', stopping);
		onShutdown({
			name: 'churn scorer',
			phase: 'writers',
			stop: async () => {
				holder.stopped = true;
				if (holder.timer) clearTimeout(holder.timer);
				engine.close();
				// Closing the scoring process cuts a round short before it writes; one already writing finishes.
				await Promise.all([holder.round, holder.interrupting]);
			}
		});
		loop(2_000);
	}
};
