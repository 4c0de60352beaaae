// CLI import throughput: generates an events CSV with DuckDB in a temp folder (15 M rows by default),
// then times `cx import FILE` (the real CLI process, a fresh database) and samples its peak RSS.
// The import runs under the CLI's default memory limit: CX_DB_MEMORY_LIMIT (passed on to the CLI) or 1GB.
// --ids random: event ids as md5 hex digits (UUID-like) instead of sequential "ev-N"; --ids none: no
// event_id column, so the importer derives each id (SHA-256 of the event's content, like the API).
// Usage: npx tsx bench/import.ts [--events 15000000] [--chunk-rows 1000000] [--ids sequential|random|none]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { config } from '../src/lib/server/config';
import { importMemoryLimit } from '../src/lib/server/ingest';
import { runCli } from './lib/cli-run';
import { syntheticEventsSql } from './lib/events-sql';

const { values } = parseArgs({
	options: {
		events: { type: 'string', default: '15000000' },
		'chunk-rows': { type: 'string', default: '1000000' },
		ids: { type: 'string', default: 'sequential' }
	}
});
if (!['sequential', 'random', 'none'].includes(values.ids)) throw new Error(`--ids: sequential, random or none, not "${values.ids}"`);
const N = Number(values.events);
const dir = mkdtempSync(join(tmpdir(), 'cx-bench-import-'));
const csv = join(dir, 'events.csv');

try {
	const gen = await DuckDBInstance.create(':memory:');
	const conn = await gen.connect();
	const rows = syntheticEventsSql({ n: N, randomIds: values.ids === 'random' });
	const columns = values.ids === 'none' ? `SELECT * EXCLUDE (event_id) FROM (${rows})` : rows;
	await conn.run(`COPY (${columns}) TO '${csv.replace(/'/g, "''")}' (HEADER)`);
	conn.closeSync();
	gen.closeSync();
	const bytes = statSync(csv).size;
	const limit = importMemoryLimit(config().dbMemoryLimit ?? undefined);
	const run = await runCli(['import', csv, '--db', join(dir, 'cx.duckdb'), '--chunk-rows', String(values['chunk-rows'])]);
	const seconds = run.seconds;
	const accepted = Number(/accepted:\s+(\d+)/.exec(run.stdout)?.[1]);
	if (accepted !== N) throw new Error(`accepted ${accepted} of ${N}:\n${run.stdout}`);
	console.log(
		JSON.stringify({
			bench: 'import',
			events: N,
			ids: values.ids,
			csv_mb: Math.round(bytes / 1e6),
			seconds: Number(seconds.toFixed(1)),
			events_per_s: Math.round(N / seconds),
			goal_seconds_for_15m: 180,
			projected_seconds_for_15m: Math.round((15_000_000 / N) * seconds),
			peak_rss_mb: run.peakRssMb,
			// The rule the CLI applies without --memory-limit, from the same environment.
			memory_limit: limit.ok ? limit.value : limit.error
		})
	);
} finally {
	rmSync(dir, { recursive: true, force: true });
}
