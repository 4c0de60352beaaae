// Where a growing database's memory goes: 600,000 events ingested in 5,000-event batches (--batch) through
// ingestEvents into a temp DuckDB file, with duckdb_memory() (megabytes per tag) and the process's RSS and
// JS heap printed every 100,000 events; with --checkpoint-every N a CHECKPOINT runs every N events (what the
// server's checkpointer does once a minute) and its duration is printed. Last line: one JSON summary.
// Run: npx tsx bench/memory-probe.ts [--checkpoint-every 120000] [--reads] [--events 600000] [--batch 5000]
//      npx tsx bench/memory-probe.ts --server [--rate 2000] [--events 1200000] [--batch 500] [--skip 'alerts,live ticker']
// --server: the server's own start steps run in this process (live ticker, alert loop, incremental scorer
// with its child process, once-a-minute checkpointer; no demo) and ingest is paced at --rate events/s, so
// everything but HTTP runs at its real frequency, as in bench:soak; readings add the child's RSS.
// --skip (with --server): start steps to leave out, by name, to tell which one the memory grows with.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getDb, shutdownDb } from '../src/lib/server/db';
import { readMemory } from '../src/lib/server/db/memory';
import { scoreCustomers, staleCustomers } from '../src/lib/server/churn/score';
import { config } from '../src/lib/server/config';
import { ingestEvents } from '../src/lib/server/ingest';
import { computeTileSet } from '../src/lib/server/metrics/tiles';
import { STARTUP_STEPS, startServerProcess } from '../src/lib/server/startup';
import { readProcStats } from './lib/proc-stats';

const { values } = parseArgs({
	options: {
		'checkpoint-every': { type: 'string', default: '0' },
		reads: { type: 'boolean', default: false },
		events: { type: 'string', default: '600000' },
		batch: { type: 'string', default: '5000' },
		server: { type: 'boolean', default: false },
		rate: { type: 'string', default: '2000' },
		skip: { type: 'string', default: '' }
	}
});
const EVERY = Number(values['checkpoint-every']);
// --reads: every 25,000 events also what the server reads: the tile set (1 h, 24 h) and a scoring round
// of up to 2,000 stale customers with the bundled champion (models/churn), in this process.
const READS = values.reads;
const TOTAL = Number(values.events);
// --batch: events per ingest transaction (the soak's loader sends a few hundred per request).
const BATCH = Number(values.batch);
if (!(BATCH > 0) || 25_000 % BATCH || 100_000 % BATCH || (EVERY > 0 && EVERY % BATCH)) {
	console.error('--batch must be a positive number that divides 25,000, 100,000 and --checkpoint-every');
	process.exit(2);
}
const TYPES = ['visit', 'purchase', 'survey_csat', 'complaint', 'support_opened'];
const SERVER = values.server;
const RATE = Number(values.rate);
if (SERVER && !(RATE > 0)) {
	console.error(`--rate must be a positive number of events per second, not "${values.rate}"`);
	process.exit(2);
}
// The server's own scorer and checkpointer run with --server; the probe's would do the work twice.
if (SERVER && (READS || EVERY > 0)) {
	console.error('--server runs the server\'s own reads and checkpoints: leave out --reads and --checkpoint-every');
	process.exit(2);
}
const SKIP = values.skip ? values.skip.split(',').map((name) => name.trim()) : [];
const unknownStep = SKIP.find((name) => !STARTUP_STEPS.some((step) => step.name === name));
if (unknownStep !== undefined || (SKIP.length && !SERVER)) {
	const names = STARTUP_STEPS.map((step) => `"${step.name}"`).join(', ');
	console.error(
		unknownStep !== undefined
			? `--skip: no start step is called "${unknownStep}"; the steps are ${names}`
			: '--skip only applies with --server'
	);
	process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'cx-bench-mem-'));
const path = join(dir, 'probe.duckdb');
if (SERVER) {
	// config() reads these on first use, which startServerProcess is.
	process.env.CX_DB = path;
	process.env.CX_DEMO = 'off';
}

try {
	if (SERVER) await startServerProcess({ skip: SKIP });
	const db = await getDb(path);
	const t0 = Date.now();
	const checkpointsMs: number[] = [];
	const reading = async (events: number) => {
		const m = await readMemory(db);
		return {
			events,
			seconds: Math.round((Date.now() - t0) / 1000),
			rss_mb: Math.round(m.rssMb),
			...(SERVER ? { rss_with_children_mb: Math.round(readProcStats(process.pid).rssMb) } : {}),
			heap_mb: Math.round(m.jsHeapMb),
			duckdb_mb: Object.fromEntries(Object.entries(m.duckdbMb).map(([tag, v]) => [tag, Math.round(v)]))
		};
	};
	let last = await reading(0);
	console.log(JSON.stringify(last));
	for (let n = 0; n < TOTAL; n += BATCH) {
		const batch = Array.from({ length: BATCH }, (_, i) => {
			const k = n + i;
			const type = TYPES[k % TYPES.length];
			return {
				event_id: `e-${k}`,
				customer_id: `c${k % 20000}`,
				occurred_at: new Date(t0 - (TOTAL - k)).toISOString(),
				channel: 'web',
				type,
				...(type === 'survey_csat' ? { rating: 1 + (k % 5) } : {}),
				...(type === 'purchase' ? { value: 10 } : {})
			};
		});
		const r = await ingestEvents(db, batch, { source: 'probe' });
		if (!r.ok) throw new Error(JSON.stringify(r));
		const done = n + BATCH;
		if (SERVER) {
			const due = t0 + (done / RATE) * 1000;
			if (due > Date.now()) await new Promise((wake) => setTimeout(wake, due - Date.now()));
		}
		if (READS && done % 25_000 === 0) {
			for (const window of ['1h', '24h'] as const) await computeTileSet(db, { window, channel: null, segment: null, now: new Date() });
			const stale = await staleCustomers(db, 2000);
			const r = await scoreCustomers(db, stale, { modelsDir: config().modelsDir });
			if (!r.ok) throw new Error(r.error);
		}
		if (EVERY > 0 && done % EVERY === 0) {
			const c = performance.now();
			await db.checkpoint();
			checkpointsMs.push(Math.round(performance.now() - c));
		}
		if (done % 100_000 === 0) {
			last = await reading(done);
			console.log(JSON.stringify(last));
		}
	}
	console.log(
		JSON.stringify({
			bench: 'memory-probe',
			events: TOTAL,
			checkpoint_every: EVERY,
			reads: READS,
			server: SERVER ? { rate: RATE, batch: BATCH, skip: SKIP } : false,
			checkpoints_ms: checkpointsMs,
			end: last
		})
	);
} finally {
	// With --server the ticker, alert loop and scorer still use the database: the exit below ends them.
	if (!SERVER) await shutdownDb(path);
	rmSync(dir, { recursive: true, force: true });
}
if (SERVER) process.exit(0);
