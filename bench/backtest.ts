// bench:backtest — a contractual backtest at scale: N subscription customers with up to E events each
// (default 10,000 × 1,780 ≈ 15.0 M events: customers who stop lose the events after that, so 1,500 gave
// only 12.6 M) generated in SQL into a temp DuckDB file, then
// `runBacktest --churn-definition cancellation`. Goal: < 15 min and < 8 GB.
// Usage: npx tsx bench/backtest.ts [customers=10000] [eventsPerCustomer=1780]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBacktest } from '../src/lib/server/churn/backtest';
import { getDb, shutdownDb } from '../src/lib/server/db';

const N = Number(process.argv[2] ?? 10_000);
const E = Number(process.argv[3] ?? 1_780);
const DAYS = 365;
const dir = mkdtempSync(join(tmpdir(), 'cx-bench-bt-'));
const dbPath = join(dir, 'cx.duckdb');
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);

try {
	const db = await getDb(dbPath);
	let t = Date.now();
	// Risky customers (hash-based) visit less, complain more and cancel around a customer-specific day.
	await db.run(
		`INSERT INTO events
		 WITH base AS (
		   SELECT c, k, hash(c) % 1000 / 1000.0 AS risk,
		          CAST(k * ${DAYS} * 86400.0 / ${E} + hash(c * 7919 + k) % 40000 AS BIGINT) AS sec
		   FROM range(${N}) r1(c), range(${E}) r2(k)
		 ), typed AS (
		   SELECT *, CASE
		     WHEN k = 0 THEN 'signup'
		     WHEN k % 50 = 0 THEN 'purchase'
		     WHEN hash(c, k) % 1000 < 40 + 120 * risk THEN (['support_opened','support_reply','support_solved','complaint'])[1 + CAST(hash(k, c) % 4 AS BIGINT)]
		     WHEN hash(c, k) % 1000 < 200 THEN (['survey_csat','praise','refund'])[1 + CAST(hash(k, c) % 3 AS BIGINT)]
		     ELSE 'visit' END AS type
		   FROM base
		 )
		 SELECT 'e' || c || '-' || k, 'c' || c, TIMESTAMP '2024-01-01' + to_seconds(sec),
		        (['web','app','email','phone','chat'])[1 + (c + k) % 5], type,
		        CASE WHEN type IN ('purchase','refund') THEN 30.0 END,
		        CASE WHEN type = 'survey_csat' THEN CAST(5 - floor(risk * 4) AS INTEGER) END,
		        NULL, NULL, NULL, 'bench', TIMESTAMP '2025-06-01'
		 FROM typed
		 WHERE risk < 0.6 OR sec < (120 + (hash(c) % 200)) * 86400`
	);
	// Customers with risk ≥ 0.6 stop; most of them cancel on their last day.
	await db.run(
		`INSERT INTO events
		 SELECT 'cancel-' || customer_id, customer_id, max(occurred_at) + INTERVAL 1 HOUR, 'web', 'cancellation', NULL, NULL, NULL, NULL, NULL, 'bench', TIMESTAMP '2025-06-01'
		 FROM events GROUP BY customer_id HAVING max(occurred_at) < TIMESTAMP '2024-12-01' AND hash(customer_id) % 10 < 8`
	);
	const n = await db.one<{ n: number }>('SELECT count(*) AS n FROM events');
	const buildSeconds = (Date.now() - t) / 1000;
	t = Date.now();
	const r = await runBacktest(db, {
		cutoff: new Date('2024-09-30T00:00:00Z'),
		horizonDays: 60,
		definition: 'cancellation',
		log: (l) => console.log(l),
		onProgress: (p) => console.log(`epoch ${p.epoch}/${p.epochs} val_auc ${p.val_auc.toFixed(3)}`)
	});
	if (!r.ok) throw new Error(r.error);
	const seconds = (Date.now() - t) / 1000;
	await shutdownDb(dbPath);
	clearInterval(sampler);
	const x = r.value.report;
	console.log(
		JSON.stringify({
			bench: 'backtest',
			customers: N,
			events: n?.n,
			build_db_s: buildSeconds,
			backtest_s: seconds,
			train_s: x.train_seconds,
			peak_rss_mb: Math.round(peakRss / 2 ** 20),
			population: x.n,
			auc: x.auc,
			rfm_auc: x.baselines.rfm_logistic.auc,
			goal_s: 900,
			goal_mb: 8192,
			goal_met: seconds < 900 && peakRss < 8 * 2 ** 30
		})
	);
} finally {
	clearInterval(sampler);
	rmSync(dir, { recursive: true, force: true });
}
