// The server's one challenger-training job at a time (POST /api/v1/models/train). Training runs in a
// child process (train-process.ts) so the web server stays responsive; progress goes out as
// `train-progress` live events under the job's run id.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db';
import { liveHub } from '../live/hub';
import { log } from '../log';
import type { ChurnDefinitionOption } from './definitions';
import { readManifest, readMetadata } from './registry';
import { sharedChildEngine } from './score-engine';
import { trainChallenger } from './train-job';
import { trainInChildProcess } from './train-process';

export interface TrainJobState {
	runId: string;
	startedAt: string;
	by: string;
	status: 'running' | 'done' | 'failed';
	version: string | null;
	error: string | null;
	finishedAt: string | null;
}

export interface StartTrainingOptions {
	by: string;
	modelsDir: string;
	root: string;
	/** Unset: the champion's horizon, so the challenger is comparable; 90 days without a champion. */
	horizonDays?: number;
	epochs?: number;
	definition: ChurnDefinitionOption;
}

export type StartTrainingResult = { ok: true; value: TrainJobState } | { ok: false; error: string; running: TrainJobState };

const DEFAULT_HORIZON_DAYS = 90;

let current: TrainJobState | null = null;
let finished: Promise<void> | null = null;

export function currentTrainJob(): TrainJobState | null {
	return current ? { ...current } : null;
}

/** Resolves when the running job (if any) has finished; for tests and shutdown. */
export function whenTrainJobSettles(): Promise<void> {
	return finished ?? Promise.resolve();
}

export function startTrainingJob(db: Db, o: StartTrainingOptions): StartTrainingResult {
	if (current?.status === 'running') return { ok: false, error: `a training job is already running (run ${current.runId}, started by ${current.by} at ${current.startedAt})`, running: { ...current } };
	const job: TrainJobState = { runId: randomUUID(), startedAt: new Date().toISOString(), by: o.by, status: 'running', version: null, error: null, finishedAt: null };
	current = job;
	const champion = readManifest(o.modelsDir).champion;
	const horizonDays = o.horizonDays ?? (champion ? readMetadata(o.modelsDir, champion).horizon_days : DEFAULT_HORIZON_DAYS);
	log.info(`churn training: started by ${o.by} (run ${job.runId}, horizon ${horizonDays} days)`);
	const started = Date.now();
	finished = trainChallenger(db, {
		horizonDays,
		epochs: o.epochs,
		definition: o.definition,
		by: o.by,
		modelsDir: o.modelsDir,
		runner: trainInChildProcess(o.root),
		engine: sharedChildEngine(o.root),
		publishRunId: job.runId
	})
		.then((r) => {
			if (r.ok) {
				job.status = 'done';
				job.version = r.value.version;
			} else {
				job.status = 'failed';
				job.error = r.error;
			}
		})
		.catch((e: unknown) => {
			job.status = 'failed';
			job.error = e instanceof Error ? e.message : String(e);
			// trainChallenger publishes 'failed' only for expected failures; a crashed child lands here.
			liveHub().publish('train-progress', { runId: job.runId, phase: 'failed', epoch: null, epochs: null, loss: null, valLoss: null, message: job.error });
		})
		.finally(() => {
			job.finishedAt = new Date().toISOString();
			const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
			if (job.status === 'done') log.info(`churn training: saved ${job.version} as a challenger in ${took} (run ${job.runId})`);
			else log.warn(`churn training: failed after ${took} (run ${job.runId}): ${job.error}`);
		});
	return { ok: true, value: { ...job } };
}
