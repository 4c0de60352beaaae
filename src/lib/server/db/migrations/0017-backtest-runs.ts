import type { Migration } from './index';

// Backtests run from the Models page or the API (and `cx backtest`): who ran which cutoff, horizon and
// definition, how it ended, the report the CLI writes to --report-out (JSON text), the model's and both
// baselines' curves, and every judged customer's score, so an analyst can open last week's backtest or
// download its scores after a restart. A run is written when it starts and updated once when it ends
// (churn/backtest-runs.ts); `running` rows left by a stopped process become `failed` at the next server
// start. New tables only: DuckDB 1.5 cannot replay ALTER TABLE … ADD COLUMN from its WAL (see 0016).
export const m0017BacktestRuns: Migration = {
	id: 17,
	name: 'backtest-runs',
	sql: `
CREATE TABLE backtest_runs (
	id TEXT PRIMARY KEY,
	started_at TIMESTAMP NOT NULL,
	finished_at TIMESTAMP,
	state TEXT NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'cancelled')),
	started_by TEXT NOT NULL,
	cutoff DATE NOT NULL,
	horizon_days INTEGER NOT NULL,
	churn_definition TEXT NOT NULL,
	error TEXT,
	cancelled_by TEXT,
	report TEXT,
	curves TEXT
);
CREATE TABLE backtest_scores (
	run_id TEXT NOT NULL,
	customer_id TEXT NOT NULL,
	score DOUBLE NOT NULL
);
`
};
