// bench:alerts — one alert tick with 1,000 metric rules and the tolerance state of 100,000
// customers (goal ≤ 200 ms). Prints one JSON object on its last line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDb, shutdownDb } from '../src/lib/server/db';
import { evaluateAlerts } from '../src/lib/server/alerts/evaluate';
import { evaluateTick } from '../src/lib/server/alerts/evaluate-tick';
import { loadCustomerMatches } from '../src/lib/server/alerts/customer-matches';
import { importRules, listRules } from '../src/lib/server/alerts/rules';
import { loadRuleStates } from '../src/lib/server/alerts/evaluate';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const RULES = 1000;
const CUSTOMERS = 100_000;
const METRICS = ['csat', 'nps', 'ces', 'frt_p90', 'complaint_rate'];
const CHANNELS = ['web', 'app', 'email', 'phone', 'chat', 'social', 'store', 'other'];

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
	const dir = mkdtempSync(join(tmpdir(), 'cx-bench-alerts-'));
	const path = join(dir, 'cx.duckdb');
	try {
		const db = await getDb(path);
		const rules = Array.from({ length: RULES }, (_, i) => ({
			id: `r${i}`,
			name: `rule ${i}`,
			definition: {
				kind: 'metric',
				metric: METRICS[i % METRICS.length],
				scope: i % 3 === 0 ? { kind: 'all' } : { kind: 'channel', value: CHANNELS[i % CHANNELS.length] },
				comparator: '<',
				threshold: 50 + (i % 40),
				recovery_threshold: 55 + (i % 40),
				pending_s: (i % 4) * 30,
				keep_firing_s: (i % 2) * 60,
				nodata: 'keep_last'
			}
		}));
		rules.push({
			id: 'tolerance',
			name: 'Tolerance crossed',
			definition: { kind: 'tolerance' }
		} as (typeof rules)[number]);
		const imp = await importRules(db, { version: 1, rules });
		if (!imp.ok) throw new Error(JSON.stringify(imp.errors.slice(0, 3)));
		const now = Date.now();
		// 100,000 customers, each with debt; about 2 % above the limit at evaluation time.
		await db.write(async (conn) => {
			await conn.run(
				`INSERT INTO customers (customer_id, segment, monthly_value) SELECT 'c' || i, CASE WHEN i % 5 = 0 THEN 'vip' ELSE 'default' END, 10 + i % 200 FROM range($1) t(i)`,
				[CUSTOMERS]
			);
			await conn.run(
				`INSERT INTO customer_debt (customer_id, debt, updated_at) SELECT 'c' || i, CASE WHEN i % 50 = 0 THEN 60 ELSE (i % 37) END,
				 (now() AT TIME ZONE 'UTC') - INTERVAL 1 DAY * (i % 20) FROM range($1) t(i)`,
				[CUSTOMERS]
			);
		});
		const tiles = (k: number) => {
			const m = new Map<string, number | null>();
			for (const metric of METRICS) {
				m.set(metric, 60 + ((k * 7) % 30));
				for (const c of CHANNELS) m.set(`${metric}|channel:${c}`, 40 + ((k * 13 + c.length * 11) % 60));
			}
			return m;
		};
		// Pure evaluation: what the tick itself costs once the inputs are in memory.
		const allRules = await listRules(db);
		const customers = await loadCustomerMatches(db, allRules);
		const states = await loadRuleStates(db);
		const pure: number[] = [];
		for (let k = 0; k < 10; k++) {
			const t = performance.now();
			evaluateTick({
				now: now + k * 1000,
				rules: allRules,
				states,
				tiles: tiles(k),
				customers,
				silences: []
			});
			pure.push(performance.now() - t);
		}
		// Full ticks against DuckDB: metric rules only (every tick) and with customer rules (every minute).
		const metricTicks: number[] = [];
		const fullTicks: number[] = [];
		let opened = 0;
		for (let k = 0; k < 5; k++) {
			const t = performance.now();
			const r = await evaluateAlerts(db, tiles(k), { now: now + k * 1000, customers: k > 0 });
			(k > 0 ? fullTicks : metricTicks).push(performance.now() - t);
			opened += r.opened.length;
		}
		for (let k = 5; k < 10; k++) {
			const t = performance.now();
			await evaluateAlerts(db, tiles(k), { now: now + k * 1000 });
			metricTicks.push(performance.now() - t);
		}
		// A large backlog: 87 % of the customers over their limit (as after importing 15 million synthetic
		// events), every one with an open item. What a customer-rule run then costs, and how long it holds
		// the event loop (customers with an item stay in DuckDB).
		await db.run(`UPDATE customer_debt SET debt = CASE WHEN hash(customer_id) % 100 < 87 THEN 80 ELSE 5 END`);
		const backlogNow = now + 60_000;
		await evaluateAlerts(db, tiles(0), { now: backlogNow, customers: true, itemsPerTick: CUSTOMERS });
		const openItems = (await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM work_items WHERE state <> 'resolved'`))?.n ?? 0;
		const backlogTicks: number[] = [];
		const loop = monitorEventLoopDelay({ resolution: 5 });
		loop.enable();
		for (let k = 1; k <= 5; k++) {
			const t = performance.now();
			await evaluateAlerts(db, tiles(k), { now: backlogNow + k * 1000, customers: true });
			backlogTicks.push(performance.now() - t);
		}
		loop.disable();
		const result = {
			bench: 'alerts',
			rules: RULES,
			customers: CUSTOMERS,
			customers_over_limit: customers.counts.get('tolerance') ?? 0,
			pure_tick_ms_median: Math.round(median(pure) * 10) / 10,
			metric_tick_ms_median: Math.round(median(metricTicks) * 10) / 10,
			full_tick_with_customers_ms_median: Math.round(median(fullTicks) * 10) / 10,
			work_items_opened: opened,
			backlog_open_items: openItems,
			backlog_customer_tick_ms_median: Math.round(median(backlogTicks)),
			backlog_event_loop_delay_max_ms: Math.round(loop.max / 1e6),
			goal_ms: 200,
			goal_met: median(fullTicks) <= 200
		};
		console.log(JSON.stringify(result));
	} finally {
		await shutdownDb(path);
		rmSync(dir, { recursive: true, force: true });
	}
}

await main();
