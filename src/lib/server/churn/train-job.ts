// Trains a challenger and saves it to the registry: the one function behind `cx train` and the
// server's "train" action. The server passes the child-process runner and gets `train-progress`
// live events; the CLI trains in-process and prints progress.
import type { Db } from '../db';
import { liveHub } from '../live/hub';
import { resolveDefinition } from './backtest';
import { DAY_MS, type ChurnDefinitionOption } from './definitions';
import { fitChurnModel, type FitOptions, type FitResult } from './fit';
import { metadataFor } from './model-metadata';
import { saveModel } from './registry';
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
	onProgress?: (p: TrainProgress) => void;
	log?: (line: string) => void;
	/** Publish `train-progress` on the live hub under this run id. */
	publishRunId?: string;
}

export type TrainJobResult = { ok: true; value: { version: string; fit: FitResult } } | { ok: false; error: string };

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
	const asOf = o.asOf ?? (await defaultTrainAsOf(db, o.horizonDays));
	if (!asOf) return { ok: false, error: 'the database has no events' };
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
	if (!fit.ok) {
		publish('failed', {}, fit.error);
		return fit;
	}
	const version = saveModel(o.modelsDir, fit.value.bundle, metadataFor(fit.value, { by: o.by }));
	publish('done', {}, `saved ${version}`);
	return { ok: true, value: { version, fit: fit.value } };
}
