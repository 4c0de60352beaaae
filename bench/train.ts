// bench:train — churn training and backtest time through the real CLI, each command in its own process
// (as a user runs it), models written to a temp registry (CX_MODELS_DIR), never to models/churn:
//  (a) the UCI Online Retail set imported with `cx import --preset online-retail`, then
//      `cx train --cutoff 2011-09-09 --horizon-days 91` and `cx backtest` at the same cutoff (goal < 5 min each);
//  (b) a synthetic purchase-only history (25,000 customers, 70,000 events) built in SQL, inactivity churn
//      (goal < 10 min each).
// Usage: npx tsx bench/train.ts [--online-retail DIR] [--customers 25000] [--events 70000]
// DIR defaults to ../shared/data/online-retail next to the project; when it has no data, (a) is skipped.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BacktestReport } from '../src/lib/server/churn/backtest';
import { listVersions, readMetadata } from '../src/lib/server/churn/registry';
import { getDb, shutdownDb } from '../src/lib/server/db';
import { ROOT } from '../tests/helpers/server';
import { runCli } from './lib/cli-run';

const { values } = parseArgs({
	options: {
		'online-retail': { type: 'string', default: join(ROOT, '..', 'shared', 'data', 'online-retail') },
		customers: { type: 'string', default: '25000' },
		events: { type: 'string', default: '70000' }
	}
});
const N = Number(values.customers);
const E = Number(values.events);
if (!Number.isInteger(N) || !Number.isInteger(E) || N < 1 || E < N) {
	console.error('--customers and --events must be whole numbers with events ≥ customers ≥ 1');
	process.exit(2);
}
const retailCsv = join(resolve(values['online-retail']), 'online-retail.csv.gz');
const dir = mkdtempSync(join(tmpdir(), 'cx-bench-train-'));

/** `cx ARGS --db DB` with its own models folder. */
const cx = (args: string[], db: string, modelsDir: string) => runCli([...args, '--db', db], { CX_MODELS_DIR: modelsDir });

const round4 = (x: number) => Number(x.toFixed(4));

/** Times `cx train` then `cx backtest` at one cutoff on an existing database. */
async function trainAndBacktest(db: string, work: string, cutoff: string, horizonDays: number, definition: string) {
	const models = join(work, 'models');
	const common = ['--cutoff', cutoff, '--horizon-days', String(horizonDays), '--churn-definition', definition];
	const train = await cx(['train', ...common], db, models);
	const version = listVersions(models).at(-1);
	if (!version) throw new Error(`cx train saved no model in ${models}`);
	const meta = readMetadata(models, version);
	const reportFile = join(work, 'report.json');
	const backtest = await cx(['backtest', ...common, '--scores-out', join(work, 'scores.csv'), '--report-out', reportFile], db, models);
	const report = JSON.parse(readFileSync(reportFile, 'utf8')) as BacktestReport;
	return {
		cutoff,
		horizon_days: horizonDays,
		churn_definition: report.churn_definition,
		train_s: train.seconds,
		train_peak_rss_mb: train.peakRssMb,
		train_network_s: meta.training_seconds,
		train_validation_auc: { model: round4(meta.metrics.auc), recency: round4(meta.baseline_metrics.recency.auc), rfm_logistic: round4(meta.baseline_metrics.rfm_logistic.auc) },
		backtest_s: backtest.seconds,
		backtest_peak_rss_mb: backtest.peakRssMb,
		backtest_train_s: report.train_seconds,
		population: report.n,
		churned: report.positives,
		auc: { model: round4(report.auc), recency: round4(report.baselines.recency.auc), rfm_logistic: round4(report.baselines.rfm_logistic.auc) },
		pr_auc: { model: round4(report.pr_auc), recency: round4(report.baselines.recency.pr_auc), rfm_logistic: round4(report.baselines.rfm_logistic.pr_auc) },
		warnings: report.warnings
	};
}

async function onlineRetail() {
	const goal_s = 300;
	if (!existsSync(retailCsv)) return { skipped: `no ${retailCsv} (pass --online-retail DIR)`, goal_s, goal_met: null };
	const work = join(dir, 'online-retail');
	mkdirSync(work);
	const db = join(work, 'cx.duckdb');
	const imp = await cx(['import', retailCsv, '--preset', 'online-retail'], db, join(work, 'models'));
	const accepted = Number(/accepted:\s+(\d+)/.exec(imp.stdout)?.[1]);
	const r = await trainAndBacktest(db, work, '2011-09-09', 91, 'auto');
	return { import_s: imp.seconds, events: accepted, ...r, goal_s, goal_met: r.train_s < goal_s && r.backtest_s < goal_s };
}

// Two years of purchases from 2023-01-01. Every customer buys once on a start day, the other E − N
// purchases go mostly to low customer numbers (a few frequent buyers, many one-off ones, as in retail),
// spread over each customer's lifetime; lifetimes ending before the data does are the churners.
const SYN_START = '2023-01-01';
const SYN_DAYS = 730;
// Labels need a full horizon of data after the cutoff: 2024-09-30 + 91 days ends inside the data.
const SYN_CUTOFF = '2024-09-30';
const SYN_HORIZON = 91;

async function synthetic() {
	const goal_s = 600;
	const work = join(dir, 'synthetic');
	mkdirSync(work);
	const path = join(work, 'cx.duckdb');
	const t0 = performance.now();
	const db = await getDb(path);
	try {
		await db.run(
			`INSERT INTO events
			 WITH ev AS (
			   SELECT i, CASE WHEN i < $n THEN i ELSE CAST(floor($n * pow((hash(i) % 1000000) / 1e6, 2)) AS BIGINT) END AS c
			   FROM range($e) t(i)
			 ), cust AS (
			   SELECT c, CAST(hash(c) % 600 AS INTEGER) AS start_day, CAST(30 + hash(c * 31 + 7) % 700 AS INTEGER) AS life_days
			   FROM range($n) t(c)
			 )
			 SELECT 'syn-' || i, 'c' || lpad(CAST(c AS VARCHAR), 6, '0'),
			        TIMESTAMP '${SYN_START}' + to_seconds(CAST(86400 * (start_day + CASE WHEN i < $n THEN 0
			          ELSE (hash(i, 1) % 1000000) / 1e6 * least(life_days, ${SYN_DAYS} - start_day) END) AS BIGINT)),
			        'web', 'purchase', round(5 + (hash(i, 2) % 50000) / 100.0, 2), NULL, NULL, NULL, NULL, 'bench', TIMESTAMP '2025-06-01'
			 FROM ev JOIN cust USING (c)`,
			{ n: N, e: E }
		);
		const counts = await db.one<{ events: number; customers: number }>('SELECT count(*) AS events, count(DISTINCT customer_id) AS customers FROM events');
		if (counts?.events !== E || counts.customers !== N) throw new Error(`built ${counts?.events} events of ${counts?.customers} customers, expected ${E} of ${N}`);
	} finally {
		await shutdownDb(path);
	}
	const build_db_s = Number(((performance.now() - t0) / 1000).toFixed(1));
	const r = await trainAndBacktest(path, work, SYN_CUTOFF, SYN_HORIZON, 'inactivity');
	return { customers: N, events: E, build_db_s, ...r, goal_s, goal_met: r.train_s < goal_s && r.backtest_s < goal_s };
}

/** One part's result, or its error (the other part still runs). */
async function part<T>(f: () => Promise<T>): Promise<T | { error: string; goal_met: false }> {
	try {
		return await f();
	} catch (e) {
		console.error(e);
		return { error: e instanceof Error ? e.message : String(e), goal_met: false };
	}
}

const load = () => loadavg().map((x) => Number(x.toFixed(2)));
try {
	const loadBefore = load();
	const a = await part(onlineRetail);
	const b = await part(synthetic);
	console.log(
		JSON.stringify({
			bench: 'train',
			online_retail: a,
			synthetic: b,
			load_before: loadBefore,
			load_after: load(),
			goal_met: a.goal_met !== false && b.goal_met
		})
	);
	process.exitCode = 'error' in a || 'error' in b ? 1 : 0;
} finally {
	rmSync(dir, { recursive: true, force: true });
}
