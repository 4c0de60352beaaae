// The server's one challenger-training job at a time (POST /api/v1/models/train; DELETE cancels it).
// Training runs in a child process (train-process.ts) so the web server stays responsive; progress goes
// out as `train-progress` live events under the job's run id, which is also its train_runs id.
import { randomUUID } from 'node:crypto';
import type { TrainProgressPayload } from '../../shared/live-events';
import type { Db } from '../db';
import { log } from '../log';
import { asOfAfterDay, type ChurnDefinitionOption } from './definitions';
import type { FieldProblem } from './models-overview-requests';
import { readManifest, readMetadata, type ModelMetadata } from './registry';
import { sharedChildEngine } from './score-engine';
import { RunControl } from './run-control';
import { checkRunCutoff } from './run-cutoff';
import { cancelTrainChallenger, interruptTrainChallenger, trainChallenger } from './train-job';
import { trainInChildProcess } from './train-process';
import { INTERRUPTED_ERROR } from './train-runs';

export interface TrainJobState {
	runId: string;
	startedAt: string;
	by: string;
	status: 'running' | 'done' | 'failed' | 'cancelled';
	version: string | null;
	error: string | null;
	finishedAt: string | null;
	cancelledBy: string | null;
	/** What the run predicts (auto is resolved against the data when training starts). */
	definition: ChurnDefinitionOption;
	horizonDays: number;
	/** The run's latest train-progress event: a page opened mid-run shows its phase and epoch at once. */
	progress: TrainProgressPayload | null;
}

export interface StartTrainingOptions {
	by: string;
	modelsDir: string;
	root: string;
	/** Unset: the champion's horizon, so the challenger is comparable; 90 days without a champion. */
	horizonDays?: number;
	epochs?: number;
	/** Unset: the champion's churn definition, for the same reason; auto without a champion. */
	definition?: ChurnDefinitionOption;
	/** The validation snapshot's cutoff day; unset: the last event day minus the horizon. */
	cutoff?: Date;
}

export type StartTrainingResult =
	| { ok: true; value: TrainJobState }
	| { ok: false; kind: 'running'; error: string; running: TrainJobState }
	| { ok: false; kind: 'invalid'; errors: FieldProblem[] };

const DEFAULT_HORIZON_DAYS = 90;

let current: TrainJobState | null = null;
let control: RunControl | null = null;
let finished: Promise<void> | null = null;

export function currentTrainJob(): TrainJobState | null {
	return current ? { ...current } : null;
}

/** Resolves when the running job (if any) has finished; for tests and shutdown. */
export function whenTrainJobSettles(): Promise<void> {
	return finished ?? Promise.resolve();
}

export interface ChallengerTarget {
	horizonDays: number;
	definition: ChurnDefinitionOption;
	/** The champion whose definition or horizon the challenger inherits; null without one. */
	champion: string | null;
}

/**
 * What a challenger predicts: the champion's churn definition and horizon unless the request names
 * them. A challenger with another target is measured on other labels (another prevalence), so its
 * figures next to the champion's compare nothing, and promoting it changes what every P(churn) means.
 */
export function challengerTarget(modelsDir: string, o: { horizonDays?: number; definition?: ChurnDefinitionOption }): ChallengerTarget {
	const champion = readManifest(modelsDir).champion;
	const meta: Partial<ModelMetadata> | null = champion ? readMetadata(modelsDir, champion) : null;
	const horizon = meta?.horizon_days;
	const definition = meta?.definition;
	return {
		horizonDays: o.horizonDays ?? (typeof horizon === 'number' && Number.isInteger(horizon) && horizon > 0 ? horizon : DEFAULT_HORIZON_DAYS),
		definition: o.definition ?? (definition === 'inactivity' || definition === 'cancellation' ? definition : 'auto'),
		champion
	};
}

function alreadyRunning(): StartTrainingResult | null {
	const c = current;
	return c?.status === 'running' ? { ok: false, kind: 'running', error: `a training job is already running (run ${c.runId}, started by ${c.by} at ${c.startedAt})`, running: { ...c } } : null;
}

export async function startTrainingJob(db: Db, o: StartTrainingOptions): Promise<StartTrainingResult> {
	const busy = alreadyRunning();
	if (busy) return busy;
	// Read before the job counts as running: an unreadable registry must not leave a job "running" for good.
	const { horizonDays, definition, champion } = challengerTarget(o.modelsDir, o);
	// A cutoff or horizon the data cannot support is the request's fault: refused before a run is recorded.
	const window = await checkRunCutoff(db, { use: 'train', cutoff: o.cutoff, horizonDays });
	if (!window.ok) return { ok: false, kind: 'invalid', errors: [window.problem] };
	// Checked again: another request may have started one while this one read the data.
	const raced = alreadyRunning();
	if (raced) return raced;
	const job: TrainJobState = { runId: randomUUID(), startedAt: new Date().toISOString(), by: o.by, status: 'running', version: null, error: null, finishedAt: null, cancelledBy: null, definition, horizonDays, progress: null };
	const jobControl = new RunControl();
	current = job;
	control = jobControl;
	log.info(`churn training: started by ${o.by} (run ${job.runId}, ${definition} churn, horizon ${horizonDays} days${champion ? `; champion ${champion}` : ''})`);
	const started = Date.now();
	finished = trainChallenger(db, {
		asOf: asOfAfterDay(window.cutoff),
		horizonDays,
		epochs: o.epochs,
		definition,
		by: o.by,
		modelsDir: o.modelsDir,
		runner: trainInChildProcess(o.root),
		engine: sharedChildEngine(o.root),
		publishRunId: job.runId,
		control: jobControl,
		onPublished: (p) => (job.progress = p)
	})
		.then((r) => {
			// cancelTrainingJob has recorded and published the end (it may still be writing it).
			if (!r.ok && r.cancelled) {
				job.status = 'cancelled';
				job.cancelledBy = jobControl.cancelledBy;
				return;
			}
			if (r.ok) {
				job.status = 'done';
				job.version = r.value.version;
			} else {
				job.status = 'failed';
				job.error = r.error;
			}
		})
		.catch((e: unknown) => {
			// A crashed child lands here; trainChallenger has published and recorded 'failed' with this message already.
			job.status = 'failed';
			job.error = e instanceof Error ? e.message : String(e);
		})
		.finally(() => {
			const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
			job.finishedAt ??= new Date().toISOString();
			// interruptTrainingJob has logged the run's end.
			if (jobControl.interrupted) return;
			if (job.status === 'cancelled') {
				log.info(`churn training: stopped after ${took}, cancelled by ${job.cancelledBy} (run ${job.runId})`);
				return;
			}
			if (job.status === 'done') log.info(`churn training: saved ${job.version} as a challenger in ${took} (run ${job.runId})`);
			else log.warn(`churn training: failed after ${took} (run ${job.runId}): ${job.error}`);
		});
	return { ok: true, value: { ...job } };
}

export type CancelTrainingResult = { ok: true; value: TrainJobState } | { ok: false; error: string };

/**
 * Cancels the running job: its child process is ended, nothing is saved, and the run is recorded as
 * cancelled by `by` (audit log too). `runId`, when given, must be the running job's: a page that followed
 * an earlier run must not cancel someone else's new one.
 */
export async function cancelTrainingJob(db: Db, o: { by: string; runId?: string }): Promise<CancelTrainingResult> {
	const job = current;
	if (!job || job.status !== 'running' || !control) return { ok: false, error: 'no training run is running' };
	if (o.runId !== undefined && o.runId !== job.runId) return { ok: false, error: `run ${o.runId} is not running (the running run is ${job.runId}, started by ${job.by} at ${job.startedAt})` };
	if (control.cancelledBy !== null) return { ok: false, error: `run ${job.runId} is already being cancelled by ${control.cancelledBy}` };
	const r = await cancelTrainChallenger(db, { runId: job.runId, control, by: o.by, publishRunId: job.runId });
	if (!r.ok) return r;
	job.status = 'cancelled';
	job.cancelledBy = o.by;
	job.finishedAt = r.value.finished_at;
	log.info(`churn training: run ${job.runId} (started by ${job.by}) cancelled by ${o.by}`);
	return { ok: true, value: { ...job } };
}

/**
 * The server is stopping (SIGTERM/SIGINT): the running job's child process is ended at once instead of the
 * stop waiting for the training to finish, nothing is saved, and the run is recorded as failed with
 * INTERRUPTED_ERROR (interruptTrainChallenger says why failed). Resolves once that is recorded.
 */
export async function interruptTrainingJob(db: Db): Promise<void> {
	const job = current;
	if (!job || job.status !== 'running' || !control) return;
	const took = `${((Date.now() - Date.parse(job.startedAt)) / 1000).toFixed(1)} s`;
	if (!(await interruptTrainChallenger(db, { runId: job.runId, control, publishRunId: job.runId }))) return;
	job.status = 'failed';
	job.error = INTERRUPTED_ERROR;
	job.finishedAt = new Date().toISOString();
	log.warn(`churn training: run ${job.runId} (started by ${job.by}) ended after ${took} without saving: ${INTERRUPTED_ERROR}`);
}
