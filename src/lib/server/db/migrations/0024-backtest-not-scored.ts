import type { Migration } from './index';

// How many customers a succeeded backtest left out of its population and why, kept next to backtest_runs
// (churn/backtest-runs.ts) so the Models page says it for any past run too: with the cancellation definition,
// the customers who had cancelled by the cutoff (only live subscriptions are scored). Not in the run's report,
// whose fields are the --report-out file's. A run of the inactivity definition has no row. New table: DuckDB
// 1.5 cannot replay ALTER TABLE … ADD COLUMN from its WAL (see 0016).
export const m0024BacktestNotScored: Migration = {
	id: 24,
	name: 'backtest-not-scored',
	sql: `
CREATE TABLE backtest_not_scored (
	run_id TEXT PRIMARY KEY,
	cancelled_at_cutoff INTEGER NOT NULL
);
`
};
