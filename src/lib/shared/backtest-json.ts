// Backtests as the API shows them (GET /api/v1/models/backtests[/:id], POST/DELETE
// /api/v1/models/backtest): the server builds them (churn/backtest-runs.ts, churn/backtest-server-job.ts)
// and the Models page reads them, so the shape is written once. snake_case and ISO times, like the rest
// of the API.

/** The goal of DESIGN §8: the model beats both baselines on ROC-AUC and on PR-AUC by at least this much. */
export const GOAL_MARGIN = 0.03;

/** The five figures of DESIGN §8 for one score (the model or a baseline) on the judged customers. */
export interface BacktestSummary {
	auc: number;
	pr_auc: number;
	brier: number;
	ece: number;
	lift_at_10: number;
}

export type BacktestState = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface BacktestRunJson {
	id: string;
	started_at: string;
	finished_at: string | null;
	state: BacktestState;
	started_by: string;
	/** Day T (YYYY-MM-DD): features on or before it, churn judged on the horizon after it. */
	cutoff: string;
	horizon_days: number;
	/** As requested (auto) until the run has resolved it against the data. */
	churn_definition: string;
	error: string | null;
	cancelled_by: string | null;
	/** Judged customers and how many of them churned; null until the run succeeded. */
	population: number | null;
	churned: number | null;
	/** null until the run succeeded. */
	summary: { model: BacktestSummary; recency: BacktestSummary; rfm_logistic: BacktestSummary } | null;
	/** Whether the scores can be downloaded (GET /api/v1/models/backtests/:id/scores.csv). */
	has_scores: boolean;
	/** The report's warnings (e.g. too few churned customers for the goal verdict to mean much); [] until the run succeeded. */
	warnings: string[];
	/**
	 * Cancellation definition: customers who had cancelled by the cutoff, so were not scored (only live
	 * subscriptions are). null for inactivity, until the run succeeded, and for runs recorded before it was kept.
	 */
	cancelled_not_scored: number | null;
}

/** One recorded curve set, as a version's curves (churn/curves.ts ModelCurves). */
export interface BacktestCurvesJson {
	roc: { fpr: number; tpr: number }[];
	pr: { recall: number; precision: number }[];
	reliability: { lo: number; hi: number; n: number; mean_predicted: number | null; fraction_positive: number | null }[];
	lift: { fraction: number; lift: number }[];
}

/** GET /api/v1/models/backtests/:id: the run, the report `cx backtest --report-out` writes, and the curves. */
export interface BacktestDetailJson {
	backtest: BacktestRunJson;
	/** null unless the run succeeded. Same fields as the CLI's report file (DESIGN §8). */
	report: Record<string, unknown> | null;
	curves: { model: BacktestCurvesJson; recency: BacktestCurvesJson; rfm_logistic: BacktestCurvesJson } | null;
}

/** What an empty POST /api/v1/models/backtest would run, and the latest cutoff the data allows for it. */
export interface BacktestDefaultsJson {
	/** YYYY-MM-DD; null when there are no events (nothing can be backtested). */
	cutoff: string | null;
	horizon_days: number;
	churn_definition: 'auto' | 'inactivity' | 'cancellation';
	/** The latest cutoff whose label window [T, T + horizon) the data has observed, for the default horizon (a live system's today is not over yet). */
	latest_cutoff: string | null;
	/** The earliest cutoff whose fit has enough history before it, for the default horizon (cutoff-range.ts). */
	earliest_cutoff: string | null;
	/** The first event's day, so a form can say which cutoffs make sense. */
	first_event_day: string | null;
	/** The last event's day. */
	last_event_day: string | null;
	/** The first and last event's times: cutoffRange (shared/cutoff-range.ts) gives the cutoffs of any horizon from them. */
	first_event_at: string | null;
	last_event_at: string | null;
}

/** The server's running backtest (one at a time), with its latest progress event. */
export interface BacktestJobJson {
	run_id: string;
	started_at: string;
	started_by: string;
	cutoff: string;
	horizon_days: number;
	churn_definition: string;
	progress: BacktestProgressJson | null;
}

/** The `backtest-progress` live event; done, failed and cancelled end a run. */
export interface BacktestProgressJson {
	runId: string;
	phase: 'features' | 'training' | 'evaluating' | 'done' | 'failed' | 'cancelled';
	epoch: number | null;
	epochs: number | null;
	loss: number | null;
	valLoss: number | null;
	message: string | null;
}

/** GET /api/v1/models/backtests */
export interface BacktestListJson {
	running: BacktestJobJson | null;
	defaults: BacktestDefaultsJson;
	/** Newest first, the last 20. */
	backtests: BacktestRunJson[];
}
