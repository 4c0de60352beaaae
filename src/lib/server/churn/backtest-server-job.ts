// The server's one backtest at a time (POST /api/v1/models/backtest; DELETE cancels it). The network is
// fitted in a child process (train-process.ts) so the web server stays responsive; progress goes out as
// `backtest-progress` live events under the run's id, which is also its backtest_runs id.
import { randomUUID } from 'node:crypto';
import type { BacktestDefaultsJson, BacktestJobJson, BacktestListJson } from '../../shared/backtest-json';
import type { Db } from '../db';
import { log } from '../log';
import { cancelBacktest, runBacktestJob } from './backtest-job';
import { BACKTEST_INTERRUPTED_ERROR, listBacktestRuns, recordBacktestFailed } from './backtest-runs';
import { cutoffRange } from '../../shared/cutoff-range';
import { isoDay, type ChurnDefinitionOption } from './definitions';
import { checkRunCutoff, eventSpan } from './run-cutoff';
import { challengerTarget } from './models-overview-train';
import { RunControl } from './run-control';
import { trainInChildProcess } from './train-process';

export interface StartBacktestOptions {
	by: string;
	modelsDir: string;
	root: string;
	/** Unset: the latest cutoff whose label window the data covers. */
	cutoff?: Date;
	/** Unset: the champion's horizon (the same rule as a challenger's). */
	horizonDays?: number;
	/** Unset: the champion's churn definition. */
	definition?: ChurnDefinitionOption;
	epochs?: number;
}

export type StartBacktestResult =
	| { ok: true; value: BacktestJobJson }
	| { ok: false; kind: 'running'; error: string; running: BacktestJobJson }
	| { ok: false; kind: 'invalid'; errors: { field: string; message: string }[] };

let current: BacktestJobJson | null = null;
let control: RunControl | null = null;
let finished: Promise<void> | null = null;

export function currentBacktestJob(): BacktestJobJson | null {
	return current ? { ...current } : null;
}

/** Resolves when the running backtest (if any) has finished; for tests and shutdown. */
export function whenBacktestSettles(): Promise<void> {
	return finished ?? Promise.resolve();
}

const isoAt = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/** What an empty request runs: the champion's target, judged on the latest window the data has observed. */
export async function backtestDefaults(db: Db, modelsDir: string, now: number = Date.now()): Promise<BacktestDefaultsJson> {
	const { horizonDays, definition } = challengerTarget(modelsDir, {});
	const span = await eventSpan(db);
	const range = span ? cutoffRange({ ...span, nowMs: now, horizonDays }) : null;
	return {
		cutoff: range?.latest ?? null,
		horizon_days: horizonDays,
		churn_definition: definition,
		latest_cutoff: range?.latest ?? null,
		earliest_cutoff: range?.earliest ?? null,
		first_event_day: span ? isoDay(new Date(span.firstEventMs)) : null,
		last_event_day: span ? isoDay(new Date(span.lastEventMs)) : null,
		first_event_at: isoAt(span?.firstEventMs),
		last_event_at: isoAt(span?.lastEventMs)
	};
}

function alreadyRunning(): StartBacktestResult | null {
	const c = current;
	return c ? { ok: false, kind: 'running', error: `a backtest is already running (run ${c.run_id}, started by ${c.started_by} at ${c.started_at})`, running: { ...c } } : null;
}

export async function startBacktestJob(db: Db, o: StartBacktestOptions): Promise<StartBacktestResult> {
	const busy = alreadyRunning();
	if (busy) return busy;
	// The defaults' own rule (the champion's target), without backtestDefaults' second read of the event span.
	const { horizonDays, definition } = challengerTarget(o.modelsDir, { horizonDays: o.horizonDays, definition: o.definition });
	// Before the job counts as running: a cutoff the data cannot support is the request's fault, said at once.
	const checked = await checkRunCutoff(db, { use: 'backtest', cutoff: o.cutoff, horizonDays });
	if (!checked.ok) return { ok: false, kind: 'invalid', errors: [checked.problem] };
	const cutoff = checked.cutoff;
	// Checked again: another request may have started one while this one read the data.
	const started = alreadyRunning();
	if (started) return started;
	const job: BacktestJobJson = { run_id: randomUUID(), started_at: new Date().toISOString(), started_by: o.by, cutoff: isoDay(cutoff), horizon_days: horizonDays, churn_definition: definition, progress: null };
	const jobControl = new RunControl();
	current = job;
	control = jobControl;
	log.info(`churn backtest: started by ${o.by} (run ${job.run_id}, cutoff ${job.cutoff}, horizon ${horizonDays} days, ${definition} churn)`);
	const startedMs = Date.now();
	const runner = trainInChildProcess(o.root);
	finished = runBacktestJob(db, {
		cutoff,
		horizonDays,
		definition,
		hyper: o.epochs ? { epochs: o.epochs } : undefined,
		by: o.by,
		runId: job.run_id,
		publish: true,
		control: jobControl,
		runner: (input, onProgress) => runner(input, onProgress, jobControl.signal),
		onPublished: (p) => (job.progress = p)
	})
		.then((r) => {
			const took = `${((Date.now() - startedMs) / 1000).toFixed(1)} s`;
			if (r.ok) log.info(`churn backtest: run ${job.run_id} done in ${took}`);
			else if (!r.cancelled && !jobControl.interrupted) log.warn(`churn backtest: run ${job.run_id} failed after ${took}: ${r.error}`);
		})
		.catch((e: unknown) => {
			// runBacktestJob has recorded and published the failure.
			if (!jobControl.interrupted) log.warn(`churn backtest: run ${job.run_id} failed: ${e instanceof Error ? e.message : String(e)}`);
		})
		.finally(() => {
			if (current === job) {
				current = null;
				control = null;
			}
		});
	return { ok: true, value: { ...job } };
}

export type CancelBacktestResult = { ok: true; value: BacktestJobJson } | { ok: false; error: string };

/** Cancels the running backtest; `runId`, when given, must be the running one's. */
export async function cancelBacktestJob(db: Db, o: { by: string; runId?: string }): Promise<CancelBacktestResult> {
	const job = current;
	const c = control;
	if (!job || !c) return { ok: false, error: 'no backtest is running' };
	if (o.runId !== undefined && o.runId !== job.run_id) return { ok: false, error: `run ${o.runId} is not running (the running backtest is ${job.run_id}, started by ${job.started_by} at ${job.started_at})` };
	const r = await cancelBacktest(db, { runId: job.run_id, control: c, by: o.by, publish: true, onPublished: (p) => (job.progress = p) });
	if (!r.ok) return r;
	log.info(`churn backtest: run ${job.run_id} (started by ${job.started_by}) cancelled by ${o.by}`);
	return { ok: true, value: { ...job } };
}

/** The server is stopping: the running backtest's child is ended and the run recorded as failed. */
export async function interruptBacktestJob(db: Db): Promise<void> {
	const job = current;
	const c = control;
	if (!job || !c || !c.interrupt()) return;
	await recordBacktestFailed(db, job.run_id, BACKTEST_INTERRUPTED_ERROR);
	log.warn(`churn backtest: run ${job.run_id} (started by ${job.started_by}) ended without a result: ${BACKTEST_INTERRUPTED_ERROR}`);
}

/** GET /api/v1/models/backtests and the Models page: the running one, the defaults, the recent runs. */
export async function backtestList(db: Db, modelsDir: string): Promise<BacktestListJson> {
	return { running: currentBacktestJob(), defaults: await backtestDefaults(db, modelsDir), backtests: await listBacktestRuns(db) };
}
