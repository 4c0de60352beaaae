// Tile-set cost against history size: histories of 100 k, 1 M and 10 M events at a constant rate
// (20,000 events/day, so longer history, same density) generated in DuckDB and fed through the real
// rollup applier in large batches; then the full tile set is computed for each window (median and best
// of 15 after a warm-up; best-of shows the cost without the machine's other load).
// Goal: ≤ 50 ms per tile set at 10 M events (24 h window) and 10M/100k ratio ≤ 2.
// Run: npm run bench:tiles   (BENCH_SIZES=100000,1000000 to shorten; BENCH_DB_DIR=dir keeps the filled
// databases there and reuses them on the next run, so only the tile timing is repeated)
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDb, shutdownDb, type Db } from '../src/lib/server/db';
import { applyRollups } from '../src/lib/server/metrics/rollup-applier';
import { catchUpActivity } from '../src/lib/server/metrics/rollup-activity';
import { computeTileSet, DEFAULT_CHURN } from '../src/lib/server/metrics/tiles';
import { findBuiltinBoard } from '../src/lib/server/metrics/boards';
import { METRICS } from '../src/lib/server/metrics/definitions';
import { forgetTrailingSparklines, trailingSparklines } from '../src/lib/server/metrics/trailing-sparkline';
import type { WindowId } from '../src/lib/shared/format';

const PER_DAY = 20_000;
const CUSTOMERS = 50_000;
const BATCH = 250_000;
const REPEAT = 15;
const END = Date.UTC(2026, 10, 1);
const sizes = (process.env.BENCH_SIZES ?? '100000,1000000,10000000').split(',').map(Number);

const TYPES = `['visit','visit','purchase','survey_csat','survey_nps','complaint','visit','support_opened','support_reply','support_solved']`;
const CHANNELS = `['web','app','email','phone','chat','social','store','other']`;

async function fill(db: Db, n: number): Promise<void> {
	await db.run(`INSERT INTO customers (customer_id, segment, monthly_value)
		SELECT 'c' || i, ['default','vip','smb','enterprise'][1 + i % 4], (i % 97) + 10 FROM range(${CUSTOMERS}) t(i)`);
	const spanMs = (n / PER_DAY) * 86_400_000;
	const start = END - spanMs;
	for (let lo = 0; lo < n; lo += BATCH) {
		const hi = Math.min(n, lo + BATCH);
		await db.write(async (conn) => {
			// Every 10 events: 7 customer events and one ticket (open, reply after 1–90 min, solved after).
			await conn.run(`CREATE OR REPLACE TEMP TABLE _bench_batch AS
				WITH g AS (SELECT i, (i // 10) AS tk, (i % 10)::INTEGER AS slot, (hash(i // 10) % 1000000007)::BIGINT AS h, (hash(i) % 1000000007)::BIGINT AS r FROM range(${lo}, ${hi}) t(i))
				SELECT 'e' || i AS event_id,
					'c' || (CASE WHEN slot >= 7 THEN h % ${CUSTOMERS} ELSE r % ${CUSTOMERS} END) AS customer_id,
					make_timestamp(((${start} + i * ${spanMs / n}
						+ CASE slot WHEN 8 THEN 60000 + h % 5400000 WHEN 9 THEN 6000000 + h % 90000000 ELSE 0 END)::BIGINT) * 1000) AS occurred_at,
					${CHANNELS}[(1 + (CASE WHEN slot >= 7 THEN h ELSE r // 7 END) % 8)::INTEGER] AS channel,
					${TYPES}[1 + slot] AS type,
					CASE WHEN slot = 2 THEN (r % 20000) / 100.0 END AS value,
					(CASE slot WHEN 3 THEN 1 + r % 5 WHEN 4 THEN r % 11 END)::INTEGER AS rating,
					CASE WHEN slot >= 7 THEN 't' || tk END AS ticket_id,
					CASE WHEN slot = 8 THEN 'agent' || h % 40 END AS agent_id,
					NULL::JSON AS attrs, 'bench' AS source, now()::TIMESTAMP AS ingested_at
				FROM g`);
			await applyRollups(conn, '_bench_batch');
			await conn.run('DROP TABLE _bench_batch');
		});
	}
}

async function timeTiles(db: Db, window: WindowId): Promise<[number, number]> {
	const now = new Date(END - 30_000);
	await computeTileSet(db, { window, channel: null, segment: null, now });
	const ms: number[] = [];
	for (let i = 0; i < REPEAT; i++) {
		const t = performance.now();
		await computeTileSet(db, { window, channel: null, segment: null, now });
		ms.push(performance.now() - t);
	}
	ms.sort((a, b) => a - b);
	const r = (x: number) => Math.round(x * 10) / 10;
	return [r(ms[Math.floor(ms.length / 2)]), r(ms[0])];
}

/**
 * The Retention board's tile set (its distinct-customer tiles draw trailing sparklines): median and best of
 * REPEAT with the trailing points read afresh each time (a wall's first set, or one point spacing on), then
 * with them kept (every other live tick), and the kept lines alone (what they add to a tick).
 */
async function timeRetention(db: Db, window: WindowId): Promise<Record<string, number>> {
	const now = new Date(END - 30_000);
	const ids = findBuiltinBoard('retention')!.tiles;
	// Waiting for the first read, so `first` is its whole cost (a live tile set waits 250 ms at most).
	const q = { window, channel: null, segment: null, now, metrics: ids, sparklineWaitMs: Infinity };
	const stats = async (fresh: boolean, run: () => Promise<unknown>) => {
		const ms: number[] = [];
		for (let i = 0; i < REPEAT; i++) {
			if (fresh) forgetTrailingSparklines(db);
			const t = performance.now();
			await run();
			ms.push(performance.now() - t);
		}
		ms.sort((a, b) => a - b);
		const r = (x: number) => Math.round(x * 100) / 100;
		return [r(ms[Math.floor(ms.length / 2)]), r(ms[0])];
	};
	await computeTileSet(db, q);
	const [first, firstBest] = await stats(true, () => computeTileSet(db, q));
	const [kept, keptBest] = await stats(false, () => computeTileSet(db, q));
	const defs = METRICS.filter((m) => ids.includes(m.id));
	const current = { c: {}, frt: new Map(), res: new Map() };
	const [lines] = await stats(false, () =>
		trailingSparklines(db, defs, { channel: null, segment: null }, { window, now, churn: DEFAULT_CHURN, churnReady: true, current })
	);
	return {
		[`retention_first_ms_${window}`]: first,
		[`retention_first_best_ms_${window}`]: firstBest,
		[`retention_kept_ms_${window}`]: kept,
		[`retention_kept_best_ms_${window}`]: keptBest,
		[`retention_kept_lines_ms_${window}`]: lines
	};
}

const result: Record<string, unknown> = { bench: 'tiles', events_per_day: PER_DAY, customers: CUSTOMERS };
const per24h: Record<number, number> = {};
for (const n of sizes) {
	const keep = process.env.BENCH_DB_DIR;
	if (keep) mkdirSync(keep, { recursive: true });
	const dir = keep ?? mkdtempSync(join(tmpdir(), 'cx-bench-tiles-'));
	const path = join(dir, `bench-${n}.duckdb`);
	const reused = keep !== undefined && existsSync(path);
	try {
		const db = await getDb(path);
		const t0 = performance.now();
		if (!reused) await fill(db, n);
		const fillS = (performance.now() - t0) / 1000;
		const row: Record<string, number> = reused ? { reused_db: 1 } : { rollup_fill_s: Math.round(fillS * 10) / 10 };
		// The churn tile's activity links are caught up outside ingest, on the first tile set after new
		// batches: timed here for the whole history at once (a live tick catches up one tick's batches).
		const t1 = performance.now();
		await catchUpActivity(db);
		row.activity_link_s = Math.round((performance.now() - t1) / 100) / 10;
		for (const w of ['15m', '1h', '24h', '7d', '30d'] as const) [row[`ms_${w}`], row[`best_ms_${w}`]] = await timeTiles(db, w);
		for (const w of ['24h', '30d'] as const) Object.assign(row, await timeRetention(db, w));
		per24h[n] = row.ms_24h;
		result[`events_${n}`] = row;
		console.log(`${n.toLocaleString('en-GB')} events: ${JSON.stringify(row)}`);
	} finally {
		await shutdownDb(path);
		if (!keep) rmSync(dir, { recursive: true, force: true });
	}
}
const small = per24h[sizes[0]];
const big = per24h[sizes[sizes.length - 1]];
result.ms_per_tile_set_24h_largest = big;
result.ratio_largest_to_smallest_24h = Math.round((big / small) * 100) / 100;
result.goal_met = big <= 50 && big / small <= 2;
console.log(JSON.stringify(result));
