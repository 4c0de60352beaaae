// DESIGN §8 backtest at cutoff T with horizon H: the model (and both baselines) are fitted at
// T' = T − H (features < T', labels in [T', T)), then applied unchanged to features < T and judged
// on [T, T + H). Nothing at or after T (exclusive end of day T) reaches the fitting.
import type { Db } from '../db';
import { scoreBaselines } from './baselines';
import { predictSnapshot } from './bundle';
import { asOfAfterDay, DAY_MS, isoDay, type ChurnDefinition, type ChurnDefinitionOption } from './definitions';
import { GOAL_MARGIN } from '../../shared/backtest-json';
import { computeCurves, type ModelCurves } from './curves';
import { evaluateScores, type FullMetrics, type Metrics } from './evaluate';
import { fitChurnModel, type FitOptions, type FitResult } from './fit';
import { checkLabelWindow } from './label-window';
import { modelDescription } from './model';
import { fromArtifacts } from './network-io';
import { trainNetwork } from './train';
import { loadSnapshot } from './snapshot';
import { fewLabelsWarnings } from './few-labels';
import { fittedAtText } from '../../shared/backtest-windows';

export interface BacktestOptions {
	/** Day T; events on that day are "on or before T". */
	cutoff: Date;
	horizonDays: number;
	definition: ChurnDefinitionOption;
	hyper?: FitOptions['hyper'];
	/** Snapshot spacing and count of the fit (defaults in fit.ts). */
	stepDays?: number;
	maxTrainSnapshots?: number;
	onProgress?: FitOptions['onProgress'];
	log?: (line: string) => void;
	/** Where the network is trained (in-process by default; the server passes the child-process runner). */
	runner?: FitOptions['runner'];
	/** Aborts the run (a cancel): no training starts after it, and the outcome is an error. */
	signal?: AbortSignal;
	/** Called once the definition is resolved against the data, before the minutes of fitting. */
	onDefinition?: (definition: ChurnDefinition) => void | Promise<void>;
	/** Called once the fit is done, before the customers at the cutoff are read and scored. */
	onEvaluating?: () => void;
}

type Summary = Pick<Metrics, 'auc' | 'pr_auc' | 'brier' | 'ece' | 'lift_at_10'>;

export interface BacktestReport extends FullMetrics {
	cutoff: string;
	horizon_days: number;
	churn_definition: ChurnDefinition;
	/** Features of the fitting snapshot end here (exclusive) = T + 1 day − H. */
	train_as_of: string;
	label_window: { from: string; to: string };
	baselines: { recency: FullMetrics; rfm_logistic: FullMetrics };
	/** Better than the better baseline at all (any margin). */
	beats_baselines: { auc: boolean; pr_auc: boolean };
	/** The goal of DESIGN §8: model − best baseline ≥ min_margin on both (rounded to 6 decimals). */
	goal: { min_margin: number; auc_margin: number; pr_auc_margin: number; met: boolean };
	train_seconds: number;
	total_seconds: number;
	model: {
		type: string;
		backend: string;
		hyper: FitResult['bundle']['hyper'];
		epochs_run: number;
		best_epoch: number;
		step_features: string[];
		static_features: string[];
		calibration: FitResult['bundle']['calibration'];
		threshold: number;
	};
	training: { snapshots: FitResult['trainSnapshots']; validation: FitResult['validation']; validation_metrics: Record<string, Summary> };
	warnings: string[];
}

export interface BacktestResult {
	report: BacktestReport;
	scores: { customer_id: string; score: number }[];
	fit: FitResult;
	/** On the judged customers, for the Models page (not in the report file, whose fields DESIGN §8 fixes). */
	curves: { model: ModelCurves; recency: ModelCurves; rfm_logistic: ModelCurves };
	/**
	 * Cancellation definition: the customers with events before the cutoff who had cancelled by it, so are not
	 * in the population (only live subscriptions are scored). null for inactivity. Not in the report file either.
	 */
	cancelledAtCutoff: number | null;
}

export type BacktestOutcome = { ok: true; value: BacktestResult } | { ok: false; error: string };

/** auto = cancellation when the data (before asOf) has cancellation events, else inactivity. */
export async function resolveDefinition(db: Db, option: ChurnDefinitionOption, asOf: Date): Promise<ChurnDefinition> {
	if (option !== 'auto') return option;
	const row = await db.one<{ n: number }>(
		"SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE type = 'cancellation' AND occurred_at < epoch_ms($1) LIMIT 1)",
		[asOf.getTime()]
	);
	return (row?.n ?? 0) > 0 ? 'cancellation' : 'inactivity';
}

/**
 * Customers with an event before asOf. The cancellation population is all of them but those who had cancelled
 * (and not signed up again), so the difference with its size counts those: one count, no second copy of the rule.
 */
async function customersBefore(db: Db, asOf: Date): Promise<number> {
	const row = await db.one<{ n: number }>('SELECT count(DISTINCT customer_id) AS n FROM events WHERE occurred_at < epoch_ms($1)', [asOf.getTime()]);
	return Number(row?.n ?? 0);
}

const summary = (m: FullMetrics): Summary => ({ auc: m.auc, pr_auc: m.pr_auc, brier: m.brier, ece: m.ece, lift_at_10: m.lift_at_10 });

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

function goalOf(model: Metrics, baselines: readonly Metrics[]): BacktestReport['goal'] {
	const auc = round6(model.auc - Math.max(...baselines.map((b) => b.auc)));
	const pr = round6(model.pr_auc - Math.max(...baselines.map((b) => b.pr_auc)));
	return { min_margin: GOAL_MARGIN, auc_margin: auc, pr_auc_margin: pr, met: auc >= GOAL_MARGIN && pr >= GOAL_MARGIN };
}

export async function runBacktest(db: Db, o: BacktestOptions): Promise<BacktestOutcome> {
	const started = Date.now();
	const asOf = asOfAfterDay(o.cutoff);
	const trainAsOf = new Date(asOf.getTime() - o.horizonDays * DAY_MS);
	const windowEnd = new Date(asOf.getTime() + o.horizonDays * DAY_MS);
	// Before any work (the fit takes minutes): the judged window must lie inside the data.
	const covered = await checkLabelWindow(db, { asOf, horizonDays: o.horizonDays, labels: 'backtest' });
	if (!covered.ok) return covered;
	const definition = await resolveDefinition(db, o.definition, asOf);
	await o.onDefinition?.(definition);
	// In days, as the Models page's results say it (the instant is T + 1 day − H, features before it).
	o.log?.(`backtest: cutoff ${isoDay(o.cutoff)}, horizon ${o.horizonDays} days, churn = ${definition}. ${fittedAtText(isoDay(o.cutoff), o.horizonDays)}`);

	const { runner = trainNetwork, signal } = o;
	const fitted = await fitChurnModel(db, {
		asOf: trainAsOf,
		horizonDays: o.horizonDays,
		definition,
		hyper: o.hyper,
		stepDays: o.stepDays,
		maxTrainSnapshots: o.maxTrainSnapshots,
		onProgress: o.onProgress,
		log: o.log,
		// A cancel interrupts the snapshot being read; one that comes between reads starts no training.
		signal,
		runner: (input, onProgress) => (signal?.aborted ? Promise.reject(new Error('cancelled')) : runner(input, onProgress))
	});
	if (!fitted.ok) return fitted;
	if (signal?.aborted) return { ok: false, error: 'cancelled' };
	o.onEvaluating?.();
	const fit = fitted.value;
	const { spec } = fit.bundle;

	const test = await loadSnapshot(db, { asOf, horizonDays: o.horizonDays, definition, withLabels: true, types: spec.types, channels: spec.channels, signal });
	if (!test.ids.length) return { ok: false, error: `no customer is in the population at ${isoDay(o.cutoff)} (${definition})` };
	const cancelledAtCutoff = definition === 'cancellation' ? (await customersBefore(db, asOf)) - test.ids.length : null;
	const net = await fromArtifacts(fit.bundle.artifacts);
	let prob: Float64Array;
	try {
		prob = predictSnapshot({ bundle: fit.bundle, net }, test).prob;
	} finally {
		net.dispose();
	}
	const y = test.labels!;
	const b = scoreBaselines(fit.bundle.baselines, test, spec.types);
	const model = evaluateScores(prob, prob, y, fit.bundle.threshold);
	const recency = evaluateScores(b.recency.score, b.recency.prob, y, fit.bundle.threshold);
	const rfm = evaluateScores(b.rfm_logistic.score, b.rfm_logistic.prob, y, fit.bundle.threshold);

	// A label window past the data is refused up front (checkLabelWindow); what is left to warn about is a verdict on too few labels.
	const warnings = fewLabelsWarnings(model.n, model.positives);
	const vm = fit.validationMetrics;
	const report: BacktestReport = {
		cutoff: isoDay(o.cutoff),
		horizon_days: o.horizonDays,
		churn_definition: definition,
		train_as_of: trainAsOf.toISOString(),
		label_window: { from: asOf.toISOString(), to: windowEnd.toISOString() },
		...model,
		baselines: { recency, rfm_logistic: rfm },
		beats_baselines: {
			auc: model.auc > Math.max(recency.auc, rfm.auc),
			pr_auc: model.pr_auc > Math.max(recency.pr_auc, rfm.pr_auc)
		},
		goal: goalOf(model, [recency, rfm]),
		train_seconds: Math.round(fit.trainSeconds * 10) / 10,
		total_seconds: Math.round((Date.now() - started) / 100) / 10,
		model: {
			type: modelDescription(fit.bundle.hyper),
			backend: fit.train.backend,
			hyper: fit.bundle.hyper,
			epochs_run: fit.train.epochsRun,
			best_epoch: fit.train.bestEpoch,
			step_features: spec.stepNames,
			static_features: spec.staticNames,
			calibration: fit.bundle.calibration,
			threshold: fit.bundle.threshold
		},
		training: {
			snapshots: fit.trainSnapshots,
			validation: fit.validation,
			validation_metrics: { model: summary(vm.model), recency: summary(vm.recency), rfm_logistic: summary(vm.rfm_logistic) }
		},
		warnings
	};
	const scores = test.ids.map((customer_id, i) => ({ customer_id, score: prob[i] }));
	const curves = { model: computeCurves(prob, y), recency: computeCurves(b.recency.prob, y), rfm_logistic: computeCurves(b.rfm_logistic.prob, y) };
	return { ok: true, value: { report, scores, fit, curves, cancelledAtCutoff } };
}
