// Trains a challenger and saves it to the registry: the one function behind `cx train` and the
// server's "train" action. The server passes the child-process runner and gets `train-progress`
// live events; the CLI trains in-process and prints progress. Every run is recorded in train_runs
// (train-runs.ts) from its start to its end, and can be cancelled through its RunControl
// (the server's DELETE /api/v1/models/train, Ctrl-C in `cx train`): cancelTrainChallenger.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db';
import { liveHub } from '../live/hub';
import type { TrainProgressPayload } from '../../shared/live-events';
import { resolveDefinition } from './backtest';
import { championOnSnapshot } from './champion-compare';
import { DAY_MS, type ChurnDefinitionOption } from './definitions';
import { fitChurnModel, type FitResult } from './fit';
import { checkLabelWindow, NO_EVENTS } from './label-window';
import { metadataFor, type ChampionComparison } from './model-metadata';
import { readManifest, saveModel } from './registry';
import { inProcessEngine, type ScoreEngine } from './score-engine';
import { RunControl } from './run-control';
import { trainNetwork, type TrainInput, type TrainOutput, type TrainProgress } from './train';
import { INTERRUPTED_ERROR, recordTrainRunCancelled, recordTrainRunEnd, recordTrainRunStart, recordTrainRunTarget, type TrainRun } from './train-runs';

/** Where the network is trained; `signal` aborts when the run is cancelled (the child process is ended). */
export type TrainRunner = (input: TrainInput, onProgress?: (p: TrainProgress) => void, signal?: AbortSignal) => Promise<TrainOutput>;

export interface TrainJobOptions {
	/** Exclusive end of the validation snapshot's features; default: last event day − horizon. */
	asOf?: Date;
	horizonDays: number;
	epochs?: number;
	definition: ChurnDefinitionOption;
	by: string;
	modelsDir: string;
	runner?: TrainRunner;
	/** Where the champion's forward passes run for the comparison (default: this process). */
	engine?: ScoreEngine;
	onProgress?: (p: TrainProgress) => void;
	log?: (line: string) => void;
	/** Publish `train-progress` on the live hub under this run id. */
	publishRunId?: string;
	/** The run's id in train_runs (default: publishRunId, else a new UUID). */
	runId?: string;
	/** For cancelling the run from elsewhere (cancelTrainChallenger). */
	control?: RunControl;
	/** Each `train-progress` payload published for the run, as it is published (the job keeps the latest). */
	onPublished?: (p: TrainProgressPayload) => void;
}

export type TrainJobResult =
	| { ok: true; value: { version: string; fit: FitResult; champion: ChampionComparison | null } }
	| { ok: false; error: string; cancelled?: true };

type Phase = 'features' | 'training' | 'done' | 'failed' | 'cancelled';

function publishProgress(runId: string | undefined, phase: Phase, p: Partial<TrainProgress> = {}, message: string | null = null): TrainProgressPayload | null {
	if (!runId) return null;
	const payload: TrainProgressPayload = { runId, phase, epoch: p.epoch ?? null, epochs: p.epochs ?? null, loss: p.loss ?? null, valLoss: p.val_loss ?? null, message };
	liveHub().publish('train-progress', payload);
	return payload;
}

export async function defaultTrainAsOf(db: Db, horizonDays: number): Promise<Date | null> {
	const last = await db.one<{ last_ms: number | null }>('SELECT CAST(epoch_ms(max(occurred_at)) AS DOUBLE) AS last_ms FROM events');
	if (last?.last_ms == null) return null;
	// Validation labels need a full horizon after the cutoff.
	return new Date(Math.floor((last.last_ms - horizonDays * DAY_MS) / DAY_MS) * DAY_MS);
}

export async function trainChallenger(db: Db, o: TrainJobOptions): Promise<TrainJobResult> {
	const runId = o.runId ?? o.publishRunId ?? randomUUID();
	const control = o.control ?? new RunControl();
	const publish = (phase: Phase, p?: Partial<TrainProgress>, message?: string | null) => {
		const payload = publishProgress(o.publishRunId, phase, p, message);
		if (payload) o.onPublished?.(payload);
	};
	const cancelled = (): TrainJobResult =>
		control.interrupted ? { ok: false, error: INTERRUPTED_ERROR } : { ok: false, error: `cancelled by ${control.cancelledBy ?? 'someone'}`, cancelled: true };
	// Every way a run can end says so on the live stream and in train_runs: a panel waiting for this run has
	// nothing else to go by, and the history must not keep a run "running" that has ended.
	let r: TrainJobResult;
	try {
		await recordTrainRunStart(db, { id: runId, by: o.by, definition: o.definition, horizonDays: o.horizonDays, validationAsOf: o.asOf ?? null });
		const trained = await train(db, o, runId, control, publish);
		// A cancel that came first has recorded and published the run's end; nothing is saved.
		if (!control.finish()) return cancelled();
		if (!trained.ok) r = trained;
		else {
			const { fit, champion } = trained.value;
			const meta = metadataFor(fit, { by: o.by, champion });
			// Churned customers of the validation snapshot, shown next to its size on the Models page.
			const version = saveModel(o.modelsDir, fit.bundle, { ...meta, data_size: { train_rows: fit.trainRows, validation_rows: fit.validation.n, validation_positives: fit.validation.positives } });
			r = { ok: true, value: { version, fit, champion } };
		}
	} catch (e) {
		// A cancelled run's child process ends with an error of its own: the cancel is the run's end.
		if (!control.finish()) return cancelled();
		const message = e instanceof Error ? e.message : String(e);
		await recordTrainRunEnd(db, runId, { state: 'failed', error: message }).catch(() => false);
		publish('failed', {}, message);
		throw e;
	}
	await recordTrainRunEnd(db, runId, r.ok ? { state: 'succeeded', version: r.value.version } : { state: 'failed', error: r.error });
	if (r.ok) publish('done', {}, `saved ${r.value.version}`);
	else publish('failed', {}, r.error);
	return r;
}

/**
 * Cancels a running run: ends its training (the child process), records it as cancelled by `by` with an
 * audit entry, and publishes `cancelled` under `publishRunId`. Refused once the run is ending by itself
 * (saving its version or recording its failure): what it records then is what happened.
 */
export async function cancelTrainChallenger(
	db: Db,
	o: { runId: string; control: RunControl; by: string; publishRunId?: string }
): Promise<{ ok: true; value: TrainRun } | { ok: false; error: string }> {
	if (!o.control.cancel(o.by)) return { ok: false, error: 'the run has just finished and is recording its result; it can no longer be cancelled' };
	const run = await recordTrainRunCancelled(db, o.runId, o.by);
	if (!run) return { ok: false, error: `run ${o.runId} is not recorded as running` };
	publishProgress(o.publishRunId, 'cancelled', {}, `cancelled by ${o.by}`);
	return { ok: true, value: run };
}

/**
 * Ends a running run because the server is stopping: its child process is ended, nothing is saved, and the
 * run is recorded as failed with INTERRUPTED_ERROR, as the next start would record it had the server died.
 * Failed, not cancelled: nobody decided to stop it (no one to name, no audit entry), and it may be run again.
 * False when the run is already ending by itself or by a cancel.
 */
export async function interruptTrainChallenger(db: Db, o: { runId: string; control: RunControl; publishRunId?: string }): Promise<boolean> {
	if (!o.control.interrupt()) return false;
	await recordTrainRunEnd(db, o.runId, { state: 'failed', error: INTERRUPTED_ERROR });
	publishProgress(o.publishRunId, 'failed', {}, INTERRUPTED_ERROR);
	return true;
}

type Trained = { ok: true; value: { fit: FitResult; champion: ChampionComparison | null } } | { ok: false; error: string };

async function train(db: Db, o: TrainJobOptions, runId: string, control: RunControl, publish: (phase: 'features' | 'training', p?: Partial<TrainProgress>, message?: string | null) => void): Promise<Trained> {
	const asOf = o.asOf ?? (await defaultTrainAsOf(db, o.horizonDays));
	if (!asOf) return { ok: false, error: NO_EVENTS };
	// Before any work: validation labels past the end of the data would be wrong, and the version promotable.
	const covered = await checkLabelWindow(db, { asOf, horizonDays: o.horizonDays, labels: 'validation' });
	if (!covered.ok) return covered;
	const definition = await resolveDefinition(db, o.definition, asOf);
	await recordTrainRunTarget(db, runId, { definition, validationAsOf: asOf });
	publish('features', {}, `reading snapshots (${definition}, horizon ${o.horizonDays} days)`);
	const runner = o.runner ?? trainNetwork;
	const fit = await fitChurnModel(db, {
		asOf,
		horizonDays: o.horizonDays,
		definition,
		hyper: o.epochs ? { epochs: o.epochs } : undefined,
		// A cancel interrupts the snapshot being read; one that comes between reads starts no training.
		signal: control.signal,
		runner: (input, onProgress) => (control.signal.aborted ? Promise.reject(new Error('cancelled')) : runner(input, onProgress, control.signal)),
		log: o.log,
		onProgress: (p) => {
			o.onProgress?.(p);
			publish('training', p, `val_auc ${p.val_auc.toFixed(3)}, eta ${p.eta_s} s`);
		}
	});
	if (!fit.ok) return fit;
	const champion = control.signal.aborted ? null : await compareWithChampion(db, o, { asOf, horizonDays: o.horizonDays, definition });
	return { ok: true, value: { fit: fit.value, champion } };
}

/** The champion on the new version's validation snapshot; null without a champion or when it cannot score. */
async function compareWithChampion(
	db: Db,
	o: TrainJobOptions,
	v: Parameters<typeof championOnSnapshot>[2]
): Promise<ChampionComparison | null> {
	const version = readManifest(o.modelsDir).champion;
	if (!version) return null;
	try {
		const metrics = await championOnSnapshot(db, { modelsDir: o.modelsDir, version, engine: o.engine ?? inProcessEngine }, v);
		return { version, metrics };
	} catch (e) {
		o.log?.(`champion ${version} could not score the validation snapshot: ${e instanceof Error ? e.message : String(e)}`);
		return null;
	}
}
