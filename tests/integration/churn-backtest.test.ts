import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/run';
import { runBacktest } from '../../src/lib/server/churn/backtest';
import { prepareFit } from '../../src/lib/server/churn/fit';
import { backtestScoresCsv, getBacktestRun, listBacktestRuns } from '../../src/lib/server/churn/backtest-runs';
import { cutoffRange } from '../../src/lib/shared/cutoff-range';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { ingestEvents } from '../../src/lib/server/ingest';
import type { EventInput } from '../../src/lib/shared/events';
import { aSubscriptionWorld } from '../fixtures/subscriptions';
import { ROOT } from '../helpers/server';

let dir: string;
let dbPath: string;
let events: EventInput[];
const cutoff = '2024-06-29';
const asOf = Date.parse('2024-06-30T00:00:00Z');

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-churn-bt-'));
	dbPath = join(dir, 'cx.duckdb');
	events = aSubscriptionWorld().withCustomers(100).from('2024-01-01').forDays(240).withSeed(3).withSilentLeaving(0.3).build();
	const db = await getDb(dbPath);
	const r = await ingestEvents(db, events, { source: 'test', now: new Date('2025-01-01T00:00:00Z') });
	expect(r.ok).toBe(true);
	await shutdownDb(dbPath);
});

afterAll(async () => {
	await shutdownDb(dbPath);
	rmSync(dir, { recursive: true, force: true });
});

function readCsv(file: string): { header: string; rows: Map<string, number> } {
	const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
	return { header, rows: new Map(lines.map((l) => [l.split(',')[0], Number(l.split(',')[1])])) };
}

/**
 * Computed from the generated events, independently of the SQL under test. Inactivity: active before the cutoff
 * and not gone by then (a cancellation after the last purchase or signup).
 */
function expectedPopulation(definition: 'cancellation' | 'inactivity'): Set<string> {
	const seen = new Set<string>();
	const cancelled = new Set<string>();
	const lastCancel = new Map<string, number>();
	const lastBack = new Map<string, number>();
	for (const e of events) {
		const t = Date.parse(String(e.occurred_at));
		if (t >= asOf) continue;
		if (e.type === 'cancellation') lastCancel.set(e.customer_id, Math.max(t, lastCancel.get(e.customer_id) ?? -Infinity));
		if (e.type === 'purchase' || e.type === 'signup') lastBack.set(e.customer_id, Math.max(t, lastBack.get(e.customer_id) ?? -Infinity));
		if (definition === 'inactivity' && ['cancellation', 'refund', 'support_reply', 'support_solved'].includes(e.type)) continue;
		seen.add(e.customer_id);
		if (e.type === 'cancellation') cancelled.add(e.customer_id);
	}
	const gone = (id: string) => (lastCancel.get(id) ?? -Infinity) > (lastBack.get(id) ?? -Infinity);
	return new Set([...seen].filter((id) => (definition === 'inactivity' ? !gone(id) : !cancelled.has(id))));
}

describe('backtest CLI', () => {
	for (const definition of ['cancellation', 'inactivity'] as const) {
		it(`writes a score for every customer of the ${definition} population and a report with the documented fields`, async () => {
			const scoresOut = join(dir, `${definition}.csv`);
			const reportOut = join(dir, `${definition}.json`);
			const argDef = definition === 'cancellation' ? 'auto' : definition;
			const logs = vi.spyOn(console, 'log');
			let said: string[];
			try {
				const code = await main(['backtest', '--cutoff', cutoff, '--horizon-days', '30', '--scores-out', scoresOut, '--report-out', reportOut, '--churn-definition', argDef, '--db', dbPath]);
				expect(code).toBe(0);
				said = logs.mock.calls.map((c) => String(c[0]));
			} finally {
				logs.mockRestore();
			}
			// Days as the Models page's results name them, never a raw timestamp (it said "fitting at 2024-05-31T00:00:00.000Z").
			expect(said).toContain(`backtest: cutoff ${cutoff}, horizon 30 days, churn = ${definition}. Fitted at T − H: features up to 2024-05-30, churn labelled 2024-05-31 to 2024-06-29.`);
			// (The logger's own lines start with their time; the command's lines must not carry one.)
			expect(said.filter((l) => !/^\S+Z (DEBUG|INFO|WARN|ERROR) /.test(l) && /\d{4}-\d\d-\d\dT\d\d:/.test(l))).toEqual([]);
			expect(said.find((l) => l.startsWith('population '))).toMatch(new RegExp(`^population \\d+ customers, \\d+ churned \\(${definition}\\), judged on 2024-06-30 to 2024-07-29 \\(30 days\\)$`));
			const { header, rows } = readCsv(scoresOut);
			expect(header).toBe('customer_id,score');
			expect(new Set(rows.keys())).toEqual(expectedPopulation(definition));
			// Customers who cancelled before the cutoff are in neither population (the fixture has some; nothing follows a cancellation).
			const goneBefore = events.filter((e) => e.type === 'cancellation' && Date.parse(String(e.occurred_at)) < asOf);
			expect(goneBefore.length).toBeGreaterThan(0);
			expect(goneBefore.some((e) => rows.has(e.customer_id))).toBe(false);
			// The cancellation definition says how many it left out; inactivity, whose rule is another, says nothing of it.
			const cancelledBy = new Set(goneBefore.map((e) => e.customer_id));
			const leftOut = said.filter((l) => l.includes('had cancelled by the cutoff'));
			expect(leftOut).toEqual(definition === 'cancellation' ? [`${cancelledBy.size} customers who had cancelled by the cutoff are not scored (cancellation definition)`] : []);
			for (const s of rows.values()) expect(s).toBeGreaterThanOrEqual(0);
			const report = JSON.parse(readFileSync(reportOut, 'utf8'));
			expect(report.churn_definition).toBe(definition);
			// The table rounds as the Models page does (ROC-AUC and PR-AUC 3 decimals, Brier and ECE 4, lift as 3.09×);
			// the report keeps full precision.
			type Figures = { auc: number; pr_auc: number; brier: number; ece: number; lift_at_10: number };
			const line = (name: string, m: Figures) =>
				`  ${name.padEnd(14)} auc ${m.auc.toFixed(3)}  pr_auc ${m.pr_auc.toFixed(3)}  brier ${m.brier.toFixed(4)}  ece ${m.ece.toFixed(4)}  lift@10% ${m.lift_at_10.toFixed(2)}×`;
			expect(said.filter((l) => /^ {2}(model|recency|rfm_logistic) /.test(l))).toEqual([
				line('model', report),
				line('recency', report.baselines.recency),
				line('rfm_logistic', report.baselines.rfm_logistic)
			]);
			const signed = (d: number) => (Number(d.toFixed(3)) === 0 ? '±0.000' : `${d > 0 ? '+' : '−'}${Math.abs(d).toFixed(3)}`);
			expect(said).toContain(
				`goal (beat both baselines by 0.03 on ROC-AUC and PR-AUC): ${report.goal.met ? 'met' : 'not met'} (ROC-AUC ${signed(report.goal.auc_margin)}, PR-AUC ${signed(report.goal.pr_auc_margin)} over the best baseline)`
			);
			for (const k of ['auc', 'pr_auc', 'brier', 'ece', 'lift_at_10', 'train_seconds']) expect(typeof report[k]).toBe('number');
			for (const b of ['recency', 'rfm_logistic']) {
				for (const k of ['auc', 'pr_auc', 'brier', 'ece', 'lift_at_10']) expect(typeof report.baselines[b][k]).toBe('number');
			}
			expect(typeof report.model.type).toBe('string');
			expect(report.n).toBe(rows.size);
			// 75 judged customers, 4 (cancellation) or 26 (inactivity) of them churned: too few for a verdict, said.
			expect(report.positives).toBeLessThan(30);
			expect(report.warnings).toEqual([
				`only ${report.positives} churned customers in the label window: too few for the goal verdict to mean much; use a longer horizon or an earlier cutoff`
			]);
			expect(report.reliability).toHaveLength(10);
			// Every label the fit saw ends before the cutoff's label window starts.
			expect(Date.parse(report.train_as_of) + 30 * 86_400_000).toBe(asOf);
			// A few seconds on an idle machine; generous for a loaded CI box.
		}, 120_000);
	}

	it('records each run where the Models page lists it, with the same scores as the file', async () => {
		const db = await getDb(dbPath);
		try {
			const runs = await listBacktestRuns(db);
			expect(runs.map((r) => [r.state, r.churn_definition, r.cutoff, r.horizon_days, r.started_by])).toEqual([
				['succeeded', 'inactivity', cutoff, 30, userInfo().username],
				['succeeded', 'cancellation', cutoff, 30, userInfo().username]
			]);
			const file = readFileSync(join(dir, 'inactivity.csv'), 'utf8');
			// Same rows; the file keeps the population's order, the stored copy is sorted by customer.
			const sorted = (csv: string) => csv.trim().split('\n').slice(1).sort();
			expect(sorted((await backtestScoresCsv(db, runs[0].id))!)).toEqual(sorted(file));
			const report = JSON.parse(readFileSync(join(dir, 'inactivity.json'), 'utf8'));
			expect(runs[0].summary!.model.auc).toBe(report.auc);
			// The count the CLI printed is kept with the run, for the Models page's results (not in the report file).
			const cancelledBy = new Set(events.filter((e) => e.type === 'cancellation' && Date.parse(String(e.occurred_at)) < asOf).map((e) => e.customer_id));
			expect(runs.map((r) => r.cancelled_not_scored)).toEqual([null, cancelledBy.size]);
			expect(JSON.parse(readFileSync(join(dir, 'cancellation.json'), 'utf8'))).not.toHaveProperty('cancelled_not_scored');
		} finally {
			await shutdownDb(dbPath);
		}
	});

	it('`cx backtest` interrupted with Ctrl-C exits 130, writes no file and records the run as cancelled', async () => {
		const scoresOut = join(dir, 'interrupted.csv');
		const reportOut = join(dir, 'interrupted.json');
		let stdout = '';
		let stderr = '';
		const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'backtest', '--cutoff', cutoff, '--horizon-days', '30', '--scores-out', scoresOut, '--report-out', reportOut, '--db', dbPath], {
			cwd: ROOT,
			env: { ...process.env, CX_LOG_LEVEL: 'warn' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		const code = await new Promise<number | null>((resolve) => {
			child.stdout.on('data', (d: Buffer) => {
				stdout += d.toString();
				// Its first line: the run is recorded and Ctrl-C is handled.
				if (/^backtest run \S+ \(Ctrl-C cancels it\)/m.test(stdout) && !child.killed) child.kill('SIGINT');
			});
			child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
			child.on('exit', (c) => resolve(c));
		});
		expect(code, stderr).toBe(130);
		expect(stderr).toContain('cx backtest: interrupted; the run is recorded as cancelled and no file was written');
		expect([existsSync(scoresOut), existsSync(reportOut)]).toEqual([false, false]);
		const runId = /^backtest run (\S+) /m.exec(stdout)![1];
		const db = await getDb(dbPath);
		try {
			expect(await getBacktestRun(db, runId)).toMatchObject({ state: 'cancelled', cancelled_by: userInfo().username, has_scores: false });
		} finally {
			await shutdownDb(dbPath);
		}
	}, 60_000);

	it('the earliest cutoff the form and API offer is the first whose fit has a training snapshot (cutoff-range.ts = fit.ts)', async () => {
		const db = await getDb(dbPath);
		try {
			const span = (await db.one<{ f: number; l: number }>('SELECT CAST(epoch_ms(min(occurred_at)) AS DOUBLE) AS f, CAST(epoch_ms(max(occurred_at)) AS DOUBLE) AS l FROM events'))!;
			const range = cutoffRange({ firstEventMs: span.f, lastEventMs: span.l, nowMs: Date.now(), horizonDays: 30 })!;
			const run = (day: string) => runBacktest(db, { cutoff: new Date(`${day}T00:00:00Z`), horizonDays: 30, definition: 'inactivity', hyper: { epochs: 1 } });
			const before = await run(new Date(Date.parse(`${range.earliest}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10));
			expect(before.ok ? 'ok' : before.error).toMatch(/^not enough history before \d{4}-\d\d-\d\d for a training snapshot/);
			// At the earliest cutoff the fit has its snapshot; whatever it finds there, it is not the history rule.
			const first = await run(range.earliest);
			expect(first.ok ? 'ok' : first.error).not.toMatch(/not enough history/);
			// Training (`cx train`, the train API) fits at the cutoff itself: its own earliest cutoff, by the same rule.
			const trainRange = cutoffRange({ firstEventMs: span.f, lastEventMs: span.l, nowMs: Date.now(), horizonDays: 30, use: 'train' })!;
			const fitAt = (day: string) => prepareFit(db, { asOf: new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000), horizonDays: 30, definition: 'inactivity' });
			const tooEarly = await fitAt(new Date(Date.parse(`${trainRange.earliest}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10));
			expect(tooEarly.ok ? 'ok' : tooEarly.error).toMatch(/^not enough history before \d{4}-\d\d-\d\d for a training snapshot/);
			const earliest = await fitAt(trainRange.earliest);
			expect(earliest.ok ? 'ok' : earliest.error).not.toMatch(/not enough history/);
		} finally {
			await shutdownDb(dbPath);
		}
	}, 60_000);

	it('rejects a bad cutoff with a usage error', async () => {
		const code = await main(['backtest', '--cutoff', '2024-13-01', '--horizon-days', '30', '--scores-out', 'x.csv', '--report-out', 'x.json', '--db', dbPath]);
		expect(code).toBe(2);
	});

	it('refuses a cutoff too early for the horizon before recording a run, in the API\'s words', async () => {
		const db = await getDb(dbPath);
		const runsBefore = (await listBacktestRuns(db, 100)).length;
		await shutdownDb(dbPath);
		const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
		const logs = vi.spyOn(console, 'log').mockImplementation(() => undefined);
		try {
			const args = ['backtest', '--cutoff', '2024-01-10', '--horizon-days', '30', '--scores-out', join(dir, 's.csv'), '--report-out', join(dir, 'r.json')];
			expect(await main([...args, '--db', dbPath])).toBe(1);
			expect(errors.mock.calls.map((c) => c[0])).toEqual([
				expect.stringMatching(
					/^cx backtest: 2024-01-10 is too early for a 30-day horizon: the model is fitted at the cutoff minus 30 days and needs 28 days of history before its first training snapshot \(events start 2024-01-02\); the cutoffs that work are 2024-03-2\d to 2024-\d\d-\d\d$/
				)
			]);
			expect(logs).not.toHaveBeenCalled();
		} finally {
			errors.mockRestore();
			logs.mockRestore();
		}
		const after = await getDb(dbPath);
		try {
			expect((await listBacktestRuns(after, 100)).length).toBe(runsBefore);
			// The fit itself, asked directly, still says where the data starts, in days.
			const r = await runBacktest(after, { cutoff: new Date('2024-01-10T00:00:00Z'), horizonDays: 30, definition: 'inactivity', hyper: { epochs: 1 } });
			expect(r.ok ? 'ok' : r.error).toBe(
				'no events before 2023-12-12, where the fit ends (cutoff minus horizon); the first event is on 2024-01-02: a later cutoff or a shorter horizon would leave history to learn from'
			);
		} finally {
			await shutdownDb(dbPath);
		}
	});

	it('names a missing --horizon-days instead of calling it "undefined"', async () => {
		const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
		try {
			const code = await main(['backtest', '--cutoff', cutoff, '--scores-out', 'x.csv', '--report-out', 'x.json', '--db', dbPath]);
			expect(code).toBe(2);
			expect(errors.mock.calls[0][0]).toBe('cx backtest: --horizon-days N is required');
		} finally {
			errors.mockRestore();
		}
	});
});
