import type { Migration } from './index';

// Every challenger training run, from the Models page, the API or `cx train`: who started it, what it
// predicts and how it ended. The server kept only its last run in memory, so after a restart nobody could
// see why last night's run failed. A run is written when it starts and updated once when it ends
// (churn/train-runs.ts); `running` rows left by a stopped process become `failed` at the next server start.
// validation_as_of: the validation snapshot's cutoff (features before it), as a version's data_window has it.
export const m0015TrainRuns: Migration = {
	id: 15,
	name: 'train-runs',
	sql: `
CREATE TABLE train_runs (
	id TEXT PRIMARY KEY,
	started_at TIMESTAMP NOT NULL,
	finished_at TIMESTAMP,
	state TEXT NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'cancelled')),
	started_by TEXT NOT NULL,
	churn_definition TEXT NOT NULL,
	horizon_days INTEGER NOT NULL,
	validation_as_of TIMESTAMP,
	version TEXT,
	error TEXT,
	cancelled_by TEXT
);
`
};
