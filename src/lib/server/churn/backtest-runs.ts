// The history of backtests (tables backtest_runs and backtest_scores, migration 0017). runBacktestJob
// writes a run when it starts and ends it once: succeeded (with its report, curves and scores), failed or
// cancelled. Every end is a conditional update of a `running` row, so whichever ending comes first (a
// cancel, the run's own result) is the one kept, as for training runs (train-runs.ts).
import { recordAudit } from '../auth/audit';
import type { Db } from '../db';
import { decodeRows } from '../db/decode';
import type { BacktestCurvesJson, BacktestDetailJson, BacktestRunJson, BacktestState, BacktestSummary } from '../../shared/backtest-json';
import type { BacktestResult } from './backtest';
import { formatScoresCsv } from './csv';
import { failInterruptedRuns } from './interrupted-runs';

/** The error of a run whose process went away before it ended (the restart rule). */
export const BACKTEST_INTERRUPTED_ERROR = 'the server stopped during the backtest';

export const RECENT_BACKTESTS = 20;

interface RunRow {
	id: string;
	started_ms: number;
	finished_ms: number | null;
	state: BacktestState;
	started_by: string;
	cutoff: string;
	horizon_days: number;
	churn_definition: string;
	error: string | null;
	cancelled_by: string | null;
	report: string | null;
	scores: number;
	cancelled_at_cutoff: number | null;
}

// The report is read whole (a few kB) for the summary; curves and scores only for one run.
const SELECT = `SELECT id, epoch_ms(started_at) AS started_ms, epoch_ms(finished_at) AS finished_ms, state, started_by,
	strftime(cutoff, '%Y-%m-%d') AS cutoff, horizon_days, churn_definition, error, cancelled_by, report,
	(SELECT count(*) FROM backtest_scores s WHERE s.run_id = r.id) AS scores,
	(SELECT n.cancelled_at_cutoff FROM backtest_not_scored n WHERE n.run_id = r.id) AS cancelled_at_cutoff
	FROM backtest_runs r`;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

type ReportFigures = BacktestSummary & { n: number; positives: number; baselines: { recency: BacktestSummary; rfm_logistic: BacktestSummary }; warnings?: unknown };

const pick = (m: BacktestSummary): BacktestSummary => ({ auc: m.auc, pr_auc: m.pr_auc, brier: m.brier, ece: m.ece, lift_at_10: m.lift_at_10 });

function toRun(r: RunRow): BacktestRunJson {
	const report = r.state === 'succeeded' && r.report ? (JSON.parse(r.report) as ReportFigures) : null;
	return {
		id: r.id,
		started_at: new Date(r.started_ms).toISOString(),
		finished_at: iso(r.finished_ms),
		state: r.state,
		started_by: r.started_by,
		cutoff: r.cutoff,
		horizon_days: r.horizon_days,
		churn_definition: r.churn_definition,
		error: r.error,
		cancelled_by: r.cancelled_by,
		population: report ? report.n : null,
		churned: report ? report.positives : null,
		summary: report ? { model: pick(report), recency: pick(report.baselines.recency), rfm_logistic: pick(report.baselines.rfm_logistic) } : null,
		has_scores: Number(r.scores) > 0,
		cancelled_not_scored: r.state === 'succeeded' && r.cancelled_at_cutoff !== null ? Number(r.cancelled_at_cutoff) : null,
		// With the list, so the page can say them next to the goal verdict of any run, without its detail.
		warnings: Array.isArray(report?.warnings) ? report.warnings.filter((w): w is string => typeof w === 'string') : []
	};
}

export interface BacktestRunStart {
	id: string;
	by: string;
	cutoff: string;
	horizonDays: number;
	definition: string;
	now?: Date;
}

export async function recordBacktestStart(db: Db, s: BacktestRunStart): Promise<void> {
	await db.write(async (conn) => {
		await conn.run(
			`INSERT INTO backtest_runs (id, started_at, state, started_by, cutoff, horizon_days, churn_definition)
			 VALUES ($1, epoch_ms($2::BIGINT), 'running', $3, CAST($4 AS DATE), $5, $6)`,
			[s.id, (s.now ?? new Date()).getTime(), s.by, s.cutoff, s.horizonDays, s.definition]
		);
	});
}

/** The definition the run resolved (auto) before its minutes of fitting. */
export async function recordBacktestDefinition(db: Db, id: string, definition: string): Promise<void> {
	await db.run(`UPDATE backtest_runs SET churn_definition = $2 WHERE id = $1 AND state = 'running'`, [id, definition]);
}

/**
 * A succeeded run: report, curves and every judged customer's score in one transaction with the state, so a
 * run listed as succeeded always has them. False when the run had ended already (cancelled meanwhile).
 */
export async function recordBacktestSucceeded(
	db: Db,
	id: string,
	r: Pick<BacktestResult, 'report' | 'scores' | 'curves'> & Partial<Pick<BacktestResult, 'cancelledAtCutoff'>>,
	now: Date = new Date()
): Promise<boolean> {
	return db.write(async (conn) => {
		const u = await conn.runAndReadAll(
			`UPDATE backtest_runs SET state = 'succeeded', finished_at = epoch_ms($2::BIGINT), churn_definition = $3, report = $4, curves = $5
			 WHERE id = $1 AND state = 'running' RETURNING id`,
			[id, now.getTime(), r.report.churn_definition, JSON.stringify(r.report), JSON.stringify(r.curves)]
		);
		if (u.getRowObjectsJS().length === 0) return false;
		if (r.cancelledAtCutoff != null) await conn.run('INSERT INTO backtest_not_scored (run_id, cancelled_at_cutoff) VALUES ($1, $2)', [id, r.cancelledAtCutoff]);
		const app = await conn.createAppender('backtest_scores');
		try {
			for (const s of r.scores) {
				app.appendVarchar(id);
				app.appendVarchar(s.customer_id);
				app.appendDouble(s.score);
				app.endRow();
			}
			app.flushSync();
		} finally {
			app.closeSync();
		}
		return true;
	});
}

/** A failed run; false when it had ended already. */
export async function recordBacktestFailed(db: Db, id: string, error: string, now: Date = new Date()): Promise<boolean> {
	return db.write(async (conn) => {
		const r = await conn.runAndReadAll(
			`UPDATE backtest_runs SET state = 'failed', finished_at = epoch_ms($2::BIGINT), error = $3 WHERE id = $1 AND state = 'running' RETURNING id`,
			[id, now.getTime(), error]
		);
		return r.getRowObjectsJS().length > 0;
	});
}

/** Marks a running run cancelled by `by`, with an audit entry, in one transaction; null when it is not running. */
export async function recordBacktestCancelled(db: Db, id: string, by: string, now: Date = new Date()): Promise<BacktestRunJson | null> {
	const updated = await db.write(async (conn) => {
		const r = await conn.runAndReadAll(
			`UPDATE backtest_runs SET state = 'cancelled', finished_at = epoch_ms($2::BIGINT), cancelled_by = $3
			 WHERE id = $1 AND state = 'running' RETURNING id, started_by, strftime(cutoff, '%Y-%m-%d') AS cutoff, horizon_days, churn_definition`,
			[id, now.getTime(), by]
		);
		const rows = decodeRows(r.getRowObjectsJS()) as { id: string; started_by: string; cutoff: string; horizon_days: number; churn_definition: string }[];
		for (const u of rows) {
			await recordAudit(conn, {
				actor: by,
				action: 'model.backtest-cancel',
				subject: u.id,
				detail: { started_by: u.started_by, cutoff: u.cutoff, horizon_days: u.horizon_days, definition: u.churn_definition }
			});
		}
		return rows.length;
	});
	return updated ? getBacktestRun(db, id) : null;
}

/** The restart rule (interrupted-runs.ts) for backtests. */
export async function failInterruptedBacktests(db: Db, error: string = BACKTEST_INTERRUPTED_ERROR): Promise<number> {
	return failInterruptedRuns(db, 'backtest_runs', error);
}

export async function getBacktestRun(db: Db, id: string): Promise<BacktestRunJson | null> {
	const row = await db.one<RunRow>(`${SELECT} WHERE id = $1`, [id]);
	return row ? toRun(row) : null;
}

/** The latest runs, newest first. */
export async function listBacktestRuns(db: Db, limit: number = RECENT_BACKTESTS): Promise<BacktestRunJson[]> {
	return (await db.all<RunRow>(`${SELECT} ORDER BY started_at DESC, id LIMIT $1`, [limit])).map(toRun);
}

/** A run with its report and curves (null until it succeeded); null when there is no such run. */
export async function getBacktestDetail(db: Db, id: string): Promise<BacktestDetailJson | null> {
	const row = await db.one<RunRow & { curves: string | null }>(`${SELECT.replace('report,', 'report, curves,')} WHERE id = $1`, [id]);
	if (!row) return null;
	const ok = row.state === 'succeeded';
	return {
		backtest: toRun(row),
		report: ok && row.report ? (JSON.parse(row.report) as Record<string, unknown>) : null,
		curves: ok && row.curves ? (JSON.parse(row.curves) as { model: BacktestCurvesJson; recency: BacktestCurvesJson; rfm_logistic: BacktestCurvesJson }) : null
	};
}

/** The run's scores as `cx backtest --scores-out` writes them; null when the run has none. */
export async function backtestScoresCsv(db: Db, id: string): Promise<string | null> {
	const rows = await db.all<{ customer_id: string; score: number }>('SELECT customer_id, score FROM backtest_scores WHERE run_id = $1 ORDER BY customer_id', [id]);
	return rows.length ? formatScoresCsv(rows) : null;
}
