// The history of challenger training runs (table train_runs, migration 0015). trainChallenger writes a
// run when it starts and ends it once: succeeded, failed or cancelled. Every end is a conditional update of
// a `running` row, so whichever ending comes first (a cancel, the run's own result) is the one kept.
import { recordAudit } from '../auth/audit';
import type { Db } from '../db';
import { decodeRows } from '../db/decode';
import { failInterruptedRuns } from './interrupted-runs';

export type TrainRunState = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface TrainRun {
	id: string;
	started_at: string;
	finished_at: string | null;
	state: TrainRunState;
	started_by: string;
	/** As requested (auto) until the run has resolved it against the data. */
	churn_definition: string;
	horizon_days: number;
	/** The validation snapshot's cutoff (features before it), once known. */
	validation_as_of: string | null;
	/** The saved version, when it succeeded. */
	version: string | null;
	/** Why it failed. */
	error: string | null;
	cancelled_by: string | null;
}

/** The error of a run whose process went away before it ended (the restart rule). */
export const INTERRUPTED_ERROR = 'the server stopped during training';

/**
 * The same, found by a command-line process: the run's process may have been a server or a `cx train` (killed
 * with -9, or its machine restarted), and which one is not recorded.
 */
export const LOST_RUN_ERROR = 'the process running it stopped before it ended (killed, or its machine restarted)';

export const RECENT_RUNS = 10;

interface RunRow {
	id: string;
	started_ms: number;
	finished_ms: number | null;
	state: TrainRunState;
	started_by: string;
	churn_definition: string;
	horizon_days: number;
	validation_ms: number | null;
	version: string | null;
	error: string | null;
	cancelled_by: string | null;
}

const SELECT = `SELECT id, epoch_ms(started_at) AS started_ms, epoch_ms(finished_at) AS finished_ms, state, started_by,
	churn_definition, horizon_days, epoch_ms(validation_as_of) AS validation_ms, version, error, cancelled_by FROM train_runs`;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function toRun(r: RunRow): TrainRun {
	return {
		id: r.id,
		started_at: new Date(r.started_ms).toISOString(),
		finished_at: iso(r.finished_ms),
		state: r.state,
		started_by: r.started_by,
		churn_definition: r.churn_definition,
		horizon_days: r.horizon_days,
		validation_as_of: iso(r.validation_ms),
		version: r.version,
		error: r.error,
		cancelled_by: r.cancelled_by
	};
}

export interface TrainRunStart {
	id: string;
	by: string;
	definition: string;
	horizonDays: number;
	validationAsOf?: Date | null;
	now?: Date;
}

export async function recordTrainRunStart(db: Db, s: TrainRunStart): Promise<void> {
	await db.write(async (conn) => {
		await conn.run(
			`INSERT INTO train_runs (id, started_at, state, started_by, churn_definition, horizon_days, validation_as_of)
			 VALUES ($1, epoch_ms($2::BIGINT), 'running', $3, $4, $5, epoch_ms($6::BIGINT))`,
			[s.id, (s.now ?? new Date()).getTime(), s.by, s.definition, s.horizonDays, s.validationAsOf ? s.validationAsOf.getTime() : null]
		);
	});
}

/** What the run found out about its target once it read the data (auto resolved, the default cutoff). */
export async function recordTrainRunTarget(db: Db, id: string, t: { definition: string; validationAsOf: Date }): Promise<void> {
	await db.write(async (conn) => {
		await conn.run(`UPDATE train_runs SET churn_definition = $2, validation_as_of = epoch_ms($3::BIGINT) WHERE id = $1 AND state = 'running'`, [
			id,
			t.definition,
			t.validationAsOf.getTime()
		]);
	});
}

export type TrainRunEnd = { state: 'succeeded'; version: string } | { state: 'failed'; error: string };

/** Ends a running run; false when it had ended already (cancelled meanwhile, or marked interrupted). */
export async function recordTrainRunEnd(db: Db, id: string, end: TrainRunEnd, now: Date = new Date()): Promise<boolean> {
	return db.write(async (conn) => {
		const r = await conn.runAndReadAll(
			`UPDATE train_runs SET state = $2, finished_at = epoch_ms($3::BIGINT), version = $4, error = $5
			 WHERE id = $1 AND state = 'running' RETURNING id`,
			[id, end.state, now.getTime(), end.state === 'succeeded' ? end.version : null, end.state === 'failed' ? end.error : null]
		);
		return r.getRowObjectsJS().length > 0;
	});
}

/**
 * Marks a running run cancelled by `by` and records it in the audit log, in one transaction; null when
 * the run is not running (it ended meanwhile, or there is no such run).
 */
export async function recordTrainRunCancelled(db: Db, id: string, by: string, now: Date = new Date()): Promise<TrainRun | null> {
	const rows = await db.write(async (conn) => {
		const r = await conn.runAndReadAll(
			`UPDATE train_runs SET state = 'cancelled', finished_at = epoch_ms($2::BIGINT), cancelled_by = $3
			 WHERE id = $1 AND state = 'running' RETURNING id, started_by, churn_definition, horizon_days`,
			[id, now.getTime(), by]
		);
		const updated = decodeRows(r.getRowObjectsJS()) as { id: string; started_by: string; churn_definition: string; horizon_days: number }[];
		for (const u of updated) {
			await recordAudit(conn, { actor: by, action: 'model.train-cancel', subject: u.id, detail: { started_by: u.started_by, definition: u.churn_definition, horizon_days: u.horizon_days } });
		}
		return updated;
	});
	return rows.length ? getTrainRun(db, id) : null;
}

/** The restart rule (interrupted-runs.ts) for training runs. */
export async function failInterruptedTrainRuns(db: Db, error: string = INTERRUPTED_ERROR): Promise<number> {
	return failInterruptedRuns(db, 'train_runs', error);
}

export async function getTrainRun(db: Db, id: string): Promise<TrainRun | null> {
	const row = await db.one<RunRow>(`${SELECT} WHERE id = $1`, [id]);
	return row ? toRun(row) : null;
}

/** The latest runs, newest first. */
export async function listTrainRuns(db: Db, limit: number = RECENT_RUNS): Promise<TrainRun[]> {
	return (await db.all<RunRow>(`${SELECT} ORDER BY started_at DESC, id LIMIT $1`, [limit])).map(toRun);
}
