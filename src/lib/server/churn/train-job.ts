// Trains a challenger and saves it to the registry: the one function behind `cx train` and the
// server's "train" action. The server passes the child-process runner and gets `train-progress`
// live events; the CLI trains in-process and prints progress.
import type { Db } from '../db';
import { liveHub } from '../live/hub';
import { resolveDefinition } from './backtest';
import { championOnSnapshot } from './champion-compare';
import { DAY_MS, type ChurnDefinitionOption } from './definitions';
import { fitChurnModel, type FitOptions, type FitResult } from './fit';
import { checkLabelWindow, NO_EVENTS } from './label-window';
import { metadataFor, type ChampionComparison } from './model-metadata';
import { readManifest, saveModel } from './registry';
import { inProcessEngine, type ScoreEngine } from './score-engine';
import type { TrainProgress } from './train';

export interface TrainJobOptions {
	/** Exclusive end of the validation snapshot's features; default: last event day − horizon. */
	asOf?: Date;
	horizonDays: number;
	epochs?: number;
	definition: ChurnDefinitionOption;
	by: string;
	modelsDir: string;
	runner?: FitOptions['runner'];
	/** Where the champion's forward passes run for the comparison (default: this process). */
	engine?: ScoreEngine;
	onProgress?: (p: TrainProgress) => void;
	log?: (line: string) => void;
	/** Publish `train-progress` on the live hub under this run id. */
	publishRunId?: string;
}

export type TrainJobResult =
	| { ok: true; value: { version: string; fit: FitResult; champion: ChampionComparison | null } }
	| { ok: false; error: string };

export async function defaultTrainAsOf(db: Db, horizonDays: number): Promise<Date | null> {
	const last = await db.one<{ last_ms: number | null }>('SELECT CAST(epoch_ms(max(occurred_at)) AS DOUBLE) AS last_ms FROM events');
	if (last?.last_ms == null) return null;
	// Validation labels need a full horizon after the cutoff.
	return new Date(Math.floor((last.last_ms - horizonDays * DAY_MS) / DAY_MS) * DAY_MS);
}

export async function trainChallenger(db: Db, o: TrainJobOptions): Promise<TrainJobResult> {
	const runId = o.publishRunId;
	const publish = (phase: 'features' | 'training' | 'done' | 'failed', p: Partial<TrainProgress> = {}, message: string | null = null) => {
		if (!runId) return;
		liveHub().publish('train-progress', { runId, phase, epoch: p.epoch ?? null, epochs: p.epochs ?? null, loss: p.loss ?? null, valLoss: p.val_loss ?? null, message });
	};
	// Every way a run can end says so on the live stream: a panel waiting for this run has nothing else to go by.
	let r: TrainJobResult;
	try {
		r = await train(db, o, publish);
	} catch (e) {
		publish('failed', {}, e instanceof Error ? e.message : String(e));
		throw e;
	}
	if (r.ok) publish('done', {}, `saved ${r.value.version}`);
	else publish('failed', {}, r.error);
	return r;
}

async function train(db: Db, o: TrainJobOptions, publish: (phase: 'features' | 'training', p?: Partial<TrainProgress>, message?: string | null) => void): Promise<TrainJobResult> {
	const asOf = o.asOf ?? (await defaultTrainAsOf(db, o.horizonDays));
	if (!asOf) return { ok: false, error: NO_EVENTS };
	// Before any work: validation labels past the end of the data would be wrong, and the version promotable.
	const covered = await checkLabelWindow(db, { asOf, horizonDays: o.horizonDays, labels: 'validation' });
	if (!covered.ok) return covered;
	const definition = await resolveDefinition(db, o.definition, asOf);
	publish('features', {}, `reading snapshots (${definition}, horizon ${o.horizonDays} days)`);
	const fit = await fitChurnModel(db, {
		asOf,
		horizonDays: o.horizonDays,
		definition,
		hyper: o.epochs ? { epochs: o.epochs } : undefined,
		runner: o.runner,
		log: o.log,
		onProgress: (p) => {
			o.onProgress?.(p);
			publish('training', p, `val_auc ${p.val_auc.toFixed(3)}, eta ${p.eta_s} s`);
		}
	});
	if (!fit.ok) return fit;
	const champion = await compareWithChampion(db, o, { asOf, horizonDays: o.horizonDays, definition });
	const meta = metadataFor(fit.value, { by: o.by, champion });
	// Churned customers of the validation snapshot, shown next to its size on the Models page.
	const version = saveModel(o.modelsDir, fit.value.bundle, { ...meta, data_size: { train_rows: fit.value.trainRows, validation_rows: fit.value.validation.n, validation_positives: fit.value.validation.positives } });
	return { ok: true, value: { version, fit: fit.value, champion } };
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
