// The restart rule for command-line processes: only one process holds the database file, so a training run
// or backtest still `running` when a command opens it was left by a process that was killed (a `cx train`
// under kill -9, a server that died). Commands that show or start runs apply it, so `cx models` does not
// call a dead run running and the Models page no longer waits for one until the next server start.
import type { Db } from '../lib/server/db';
import { failInterruptedBacktests } from '../lib/server/churn/backtest-runs';
import { failInterruptedTrainRuns, LOST_RUN_ERROR } from '../lib/server/churn/train-runs';

export async function failLostRuns(db: Db): Promise<void> {
	await failInterruptedTrainRuns(db, LOST_RUN_ERROR);
	await failInterruptedBacktests(db, LOST_RUN_ERROR);
}
