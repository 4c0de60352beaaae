// Runs a backtest and records it: the one function behind `cx backtest` and the server's backtest job
// (POST /api/v1/models/backtest). The run is in backtest_runs from its start to its end, with its report,
// curves and scores when it succeeds, so the Models page lists the CLI's backtests next to its own. The
// server passes the child-process runner and gets `backtest-progress` live events; the CLI prints.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db';
import { liveHub } from '../live/hub';
import type { BacktestProgressJson, BacktestRunJson } from '../../shared/backtest-json';
import { runBacktest, type BacktestOptions, type BacktestResult } from './backtest';
import { recordBacktestCancelled, recordBacktestDefinition, recordBacktestFailed, recordBacktestStart, recordBacktestSucceeded } from './backtest-runs';
import { isoDay } from './definitions';
import { RunControl } from './run-control';
import type { TrainProgress } from './train';

export interface BacktestJobOptions extends Omit<BacktestOptions, 'signal' | 'onDefinition' | 'onEvaluating'> {
	by: string;
	/** The run's id in backtest_runs (default: a new UUID); also its live events' runId when publishing. */
	runId?: string;
	/** Publish `backtest-progress` on the live hub under the run id. */
	publish?: boolean;
	/** For cancelling the run from elsewhere (the server's DELETE, Ctrl-C). */
	control?: RunControl;
	/** Each `backtest-progress` payload published, as it is published (the server keeps the latest). */
	onPublished?: (p: BacktestProgressJson) => void;
}

export type BacktestJobResult = { ok: true; value: BacktestResult & { runId: string } } | { ok: false; error: string; cancelled?: true };

type Phase = BacktestProgressJson['phase'];

export function summaryLine(r: BacktestResult['report']): string {
	const best = Math.max(r.baselines.recency.auc, r.baselines.rfm_logistic.auc);
	const d = r.auc - best;
	return `ROC-AUC ${r.auc.toFixed(4)} against the best baseline's ${best.toFixed(4)} (${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(4)}), ${r.n} customers, ${r.positives} churned`;
}

function publishProgress(o: { publish?: boolean; onPublished?: (p: BacktestProgressJson) => void }, runId: string, phase: Phase, p: Partial<TrainProgress> = {}, message: string | null = null): void {
	if (!o.publish) return;
	const payload: BacktestProgressJson = { runId, phase, epoch: p.epoch ?? null, epochs: p.epochs ?? null, loss: p.loss ?? null, valLoss: p.val_loss ?? null, message };
	liveHub().publish('backtest-progress', payload);
	o.onPublished?.(payload);
}

/**
 * Cancels a running backtest: ends its fitting (the child process), records it as cancelled by `by` with an
 * audit entry, and publishes `cancelled`. Refused once the run is ending by itself (storing its result).
 */
export async function cancelBacktest(
	db: Db,
	o: { runId: string; control: RunControl; by: string; publish?: boolean; onPublished?: (p: BacktestProgressJson) => void }
): Promise<{ ok: true; value: BacktestRunJson } | { ok: false; error: string }> {
	if (!o.control.cancel(o.by)) return { ok: false, error: 'the backtest has just finished and is recording its result; it can no longer be cancelled' };
	const run = await recordBacktestCancelled(db, o.runId, o.by);
	if (!run) return { ok: false, error: `run ${o.runId} is not recorded as running` };
	publishProgress(o, o.runId, 'cancelled', {}, `cancelled by ${o.by}`);
	return { ok: true, value: run };
}

export async function runBacktestJob(db: Db, o: BacktestJobOptions): Promise<BacktestJobResult> {
	const runId = o.runId ?? randomUUID();
	const control = o.control ?? new RunControl();
	const publish = (phase: Phase, p?: Partial<TrainProgress>, message?: string | null) => publishProgress(o, runId, phase, p, message);
	const cancelled = (): BacktestJobResult => ({ ok: false, error: `cancelled by ${control.cancelledBy ?? 'someone'}`, cancelled: true });
	await recordBacktestStart(db, { id: runId, by: o.by, cutoff: isoDay(o.cutoff), horizonDays: o.horizonDays, definition: o.definition });
	publish('features', {}, `reading snapshots (cutoff ${isoDay(o.cutoff)}, horizon ${o.horizonDays} days)`);
	let r: Awaited<ReturnType<typeof runBacktest>>;
	try {
		r = await runBacktest(db, {
			...o,
			signal: control.signal,
			onDefinition: (d) => recordBacktestDefinition(db, runId, d),
			onProgress: (p) => {
				o.onProgress?.(p);
				publish('training', p, `val_auc ${p.val_auc.toFixed(3)}, eta ${p.eta_s} s`);
			},
			onEvaluating: () => publish('evaluating', {}, 'scoring the customers at the cutoff with the model and both baselines')
		});
	} catch (e) {
		// A cancelled run's child process ends with an error of its own: the cancel is the run's end.
		if (!control.finish()) return cancelled();
		const message = e instanceof Error ? e.message : String(e);
		await recordBacktestFailed(db, runId, message).catch(() => false);
		publish('failed', {}, message);
		throw e;
	}
	// A cancel that came first has recorded and published the run's end; nothing is stored.
	if (!control.finish()) return cancelled();
	if (!r.ok) {
		await recordBacktestFailed(db, runId, r.error);
		publish('failed', {}, r.error);
		return r;
	}
	await recordBacktestSucceeded(db, runId, r.value);
	publish('done', {}, summaryLine(r.value.report));
	return { ok: true, value: { ...r.value, runId } };
}
