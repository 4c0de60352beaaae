// Where a batch score's read goes: the phases of withSnapshotReader for N synthetic customers with
// 64 events each (the bench:score data), kept in a temp DuckDB file: population + statics + type counts,
// the last-64 cut, the parts' DuckDB work alone (count only) and the parts read into typed arrays.
// Run: npx tsx bench/score-read.ts [customers=200000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_CHANNELS, BASE_TYPES } from '../src/lib/server/churn/definitions';
import { withSnapshotReader } from '../src/lib/server/churn/snapshot';
import { fillScoringEvents } from './lib/score-data';
import { getDb, shutdownDb } from '../src/lib/server/db';

const N = Number(process.argv[2] ?? 200_000);
const PART = 25_000;
const dir = mkdtempSync(join(tmpdir(), 'cx-bench-score-read-'));
const path = join(dir, 'cx.duckdb');
try {
	const db = await getDb(path);
	await fillScoringEvents(db, N);
	await db.checkpoint();
	const q = { asOf: new Date('2025-08-01T00:00:00Z'), horizonDays: 30, definition: 'inactivity' as const, withLabels: false, types: [...BASE_TYPES], channels: BASE_CHANNELS };
	const ms: Record<string, number> = {};
	let t = performance.now();
	const lap = (name: string) => {
		const now = performance.now();
		ms[name] = Math.round(now - t);
		t = now;
	};
	let rows = 0;
	await withSnapshotReader(db, q, async (r) => {
		lap('population_statics_type_counts_ms');
		// The first part creates the cut table; the parts after it are timed separately.
		const first = await r.range(0, PART);
		rows += first.offsets[first.ids.length];
		lap('cut_and_first_part_ms');
		for (let s = PART; s < r.ids.length; s += PART) {
			const p = await r.range(s, s + PART);
			rows += p.offsets[p.ids.length];
		}
		lap('other_parts_ms');
	});
	// The parts' join alone, without copying rows out of DuckDB (same SQL shape as readCandidates).
	await db.connect(async (conn) => {
		await conn.run(`CREATE TEMP TABLE churn_pop AS SELECT customer_id, CAST(row_number() OVER (ORDER BY customer_id) - 1 AS INTEGER) AS pidx FROM (SELECT DISTINCT customer_id FROM events)`);
		await conn.run(`CREATE TEMP TABLE churn_cut AS SELECT pidx, any_value(customer_id) AS customer_id, list_min(max(occurred_at, 64)) AS cut FROM events JOIN churn_pop USING (customer_id) GROUP BY pidx`);
		t = performance.now();
		for (let s = 0; s < N; s += PART)
			await conn.run(
				`SELECT count(*) FROM events e JOIN (SELECT customer_id, cut FROM churn_cut WHERE pidx >= $a AND pidx < $b) c USING (customer_id) WHERE e.occurred_at >= c.cut`,
				{ a: s, b: s + PART }
			);
		lap('all_parts_join_only_ms');
	});
	await shutdownDb(path);
	console.log(JSON.stringify({ bench: 'score-read', customers: N, candidate_rows: rows, ...ms }));
} finally {
	rmSync(dir, { recursive: true, force: true });
}
