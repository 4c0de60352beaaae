// The restart rule, for every table of runs (training, backtests): runs still `running` when a process
// opens the database were left by one that stopped (only one process holds the file, and its own runs
// start after this): they failed. finished_at stays NULL: when the process stopped is not known, and the
// restart may come hours later (no made-up duration).
import type { Db } from '../db';

/** The tables of runs; the only names failInterruptedRuns puts into its statement. */
const RUN_TABLES = ['train_runs', 'backtest_runs'] as const;
export type RunTable = (typeof RUN_TABLES)[number];

/** Marks the table's `running` runs failed with `error`; returns how many there were. */
export async function failInterruptedRuns(db: Db, table: RunTable, error: string): Promise<number> {
	// A table name cannot be a bound parameter: it is checked against the fixed list instead.
	if (!RUN_TABLES.includes(table)) throw new Error(`not a table of runs: ${String(table)}`);
	return db.write(async (conn) => {
		const r = await conn.runAndReadAll(
			`UPDATE ${table} SET state = 'failed', error = $1 WHERE state = 'running' RETURNING id`,
			[error]
		);
		return r.getRowObjectsJS().length;
	});
}
