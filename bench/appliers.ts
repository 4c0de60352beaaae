// What one ingest transaction's derived-table work costs, by applier, and how it depends on the batch size
// and on the history already stored. Builds a history of N synthetic events (bench/lib/events-sql.ts, as
// bench:import) with the real importer in a temp database, then per batch size: stages a batch of new
// events continuing that history, inserts it into `events` and runs every ingest applier in order, timing
// each, inside a transaction that is rolled back (so every round sees the same history). One JSON line
// per batch size with the median of the rounds. With --statements, each applier's statements of 20 ms or
// more (--min-ms) are timed too (median per statement, keyed by the statement's first words).
// Usage: npx tsx bench/appliers.ts [--history 3000000] [--batches 5000,50000] [--rounds 3] [--statements [--min-ms 20]]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { DuckDBConnection } from '@duckdb/node-api';
import { getDb, shutdownDb } from '../src/lib/server/db';
import { APPLIERS } from '../src/lib/server/ingest/appliers';
import { NEW_EVENTS_TABLE } from '../src/lib/server/ingest/commit';
import { importFile } from '../src/lib/server/ingest/import/import-file';
import { syntheticEventsSql } from './lib/events-sql';

const { values } = parseArgs({
	options: {
		history: { type: 'string', default: '3000000' },
		batches: { type: 'string', default: '5000,50000' },
		rounds: { type: 'string', default: '3' },
		statements: { type: 'boolean', default: false },
		'min-ms': { type: 'string', default: '20' }
	}
});
const HISTORY = Number(values.history);
const BATCHES = values.batches.split(',').map(Number);
const ROUNDS = Number(values.rounds);
if (!(HISTORY > 0) || BATCHES.some((b) => !(b > 0)) || !(ROUNDS > 0)) {
	console.error('--history, --batches (comma-separated) and --rounds must be positive numbers');
	process.exit(2);
}
// The history and every batch are positions in one synthetic year, so batches continue the history.
const SPAN = HISTORY + Math.max(...BATCHES);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Times every statement the connection runs, keyed by its first 60 characters. */
function timeStatements(conn: DuckDBConnection, into: Record<string, number[]>): void {
	const run = conn.run.bind(conn);
	conn.run = (async (sql: string, ...rest: unknown[]) => {
		const t = performance.now();
		const r = await run(sql, ...(rest as []));
		(into[sql.replace(/\s+/g, ' ').trim().slice(0, 60)] ??= []).push(performance.now() - t);
		return r;
	}) as typeof conn.run;
}
const dir = mkdtempSync(join(tmpdir(), 'cx-bench-appliers-'));
const path = join(dir, 'cx.duckdb');

try {
	const db = await getDb(path);
	const csv = join(dir, 'history.csv');
	await db.run(`COPY (${syntheticEventsSql({ n: HISTORY, span: SPAN })}) TO '${csv.replace(/'/g, "''")}' (HEADER)`);
	const t0 = performance.now();
	const imported = await importFile(db, csv, {});
	if (!imported.ok) throw new Error(imported.error);
	console.log(`history: ${imported.value.accepted} events imported in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
	await db.checkpoint();

	for (const batch of BATCHES) {
		const times: Record<string, number[]> = { insert_events: [] };
		const statements: Record<string, number[]> = {};
		for (const a of APPLIERS) times[a.name] = [];
		for (let round = 0; round < ROUNDS; round++) {
			await db.connect(async (conn) => {
				if (values.statements) timeStatements(conn, statements);
				await conn.run('BEGIN TRANSACTION');
				try {
					const rows = syntheticEventsSql({ n: batch, idPrefix: `new${round}-`, offset: HISTORY, span: SPAN });
					await conn.run(`CREATE OR REPLACE TEMP TABLE ${NEW_EVENTS_TABLE} AS
						SELECT event_id, customer_id, occurred_at::TIMESTAMP AS occurred_at, channel, type, value, rating::INTEGER AS rating,
							ticket_id, agent_id, NULL::JSON AS attrs, 'bench' AS source, now()::TIMESTAMP AS ingested_at
						FROM (${rows})`);
					let t = performance.now();
					await conn.run(`INSERT INTO events SELECT * FROM ${NEW_EVENTS_TABLE}`);
					times.insert_events.push(performance.now() - t);
					for (const a of APPLIERS) {
						t = performance.now();
						await a.apply(conn, NEW_EVENTS_TABLE);
						times[a.name].push(performance.now() - t);
					}
				} finally {
					await conn.run('ROLLBACK');
				}
			});
		}
		const ms = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(median(v))]));
		const total = Object.values(ms).reduce((a, b) => a + b, 0);
		console.log(
			JSON.stringify({
				bench: 'appliers',
				history_events: HISTORY,
				batch_events: batch,
				rounds: ROUNDS,
				median_ms: ms,
				total_ms: total,
				us_per_event: Math.round((total * 1000) / batch),
				...(values.statements && {
					statements_ms: Object.fromEntries(
						Object.entries(statements)
							.filter(([, v]) => median(v) >= Number(values['min-ms']))
							.map(([k, v]) => [k, Math.round(median(v))])
					)
				})
			})
		);
	}
} finally {
	await shutdownDb(path);
	rmSync(dir, { recursive: true, force: true });
}
