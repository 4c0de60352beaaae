// Ingest throughput over HTTP vs DuckDB's raw appender (DESIGN §2 bench contract).
// Starts the built server on its own temp database (CX_DEMO=off), creates an ingest key with the CLI,
// POSTs NDJSON batches of 5,000 events over loopback from a few concurrent clients, then appends the
// same events with a raw DuckDB appender into a fresh table with the same primary key.
// Usage: npx tsx bench/ingest.ts [--events 500000] [--batch 5000] [--clients 4]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance, DuckDBTimestampValue } from '@duckdb/node-api';
import { startServer, ROOT } from '../tests/helpers/server';
import { CHANNELS } from '../src/lib/shared/events';

const { values } = parseArgs({
	options: { events: { type: 'string', default: '500000' }, batch: { type: 'string', default: '5000' }, clients: { type: 'string', default: '4' } }
});
const TOTAL = Number(values.events);
const BATCH = Number(values.batch);
const CLIENTS = Number(values.clients);

interface BenchEvent {
	event_id: string;
	customer_id: string;
	occurred_at: string;
	channel: string;
	type: string;
	value?: number;
	rating?: number;
	ticket_id?: string;
	agent_id?: string;
}

const TYPES = ['visit', 'visit', 'visit', 'purchase', 'support_opened', 'support_reply', 'survey_csat', 'survey_nps', 'complaint', 'refund'];

function makeEvents(n: number): BenchEvent[] {
	const start = Date.now() - 30 * 86_400_000;
	const out: BenchEvent[] = new Array(n);
	for (let i = 0; i < n; i++) {
		const type = TYPES[i % TYPES.length];
		const e: BenchEvent = {
			event_id: `bench-${i}`,
			customer_id: `c${(i * 7919) % 50_000}`,
			occurred_at: new Date(start + Math.floor((i / n) * 30 * 86_400_000)).toISOString(),
			channel: CHANNELS[i % CHANNELS.length],
			type
		};
		if (type === 'purchase' || type === 'refund') e.value = (i % 200) + 0.99;
		if (type === 'survey_csat') e.rating = 1 + (i % 5);
		if (type === 'survey_nps') e.rating = i % 11;
		if (type.startsWith('support')) {
			e.ticket_id = `t${Math.floor(i / 20)}`;
			e.agent_id = `a${i % 30}`;
		}
		out[i] = e;
	}
	return out;
}

function createKey(dbPath: string): string {
	const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'keys', 'create', '--scope', 'ingest', '--db', dbPath], {
		cwd: ROOT,
		encoding: 'utf8'
	});
	if (r.status !== 0) throw new Error(`keys create failed: ${r.stderr}`);
	return r.stdout.trim().split('\n').pop()!.trim();
}

async function overHttp(events: BenchEvent[]): Promise<number> {
	const dir = mkdtempSync(join(tmpdir(), 'cx-bench-ingest-'));
	const key = createKey(join(dir, 'cx.duckdb'));
	const srv = await startServer({ dir });
	try {
		const bodies: string[] = [];
		for (let i = 0; i < events.length; i += BATCH) bodies.push(events.slice(i, i + BATCH).map((e) => JSON.stringify(e)).join('\n'));
		let next = 0;
		let accepted = 0;
		const t0 = performance.now();
		await Promise.all(
			Array.from({ length: CLIENTS }, async () => {
				while (next < bodies.length) {
					const body = bodies[next++];
					const r = await fetch(`${srv.url}/api/v1/events`, {
						method: 'POST',
						headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${key}` },
						body
					});
					if (r.status !== 200) throw new Error(`POST /api/v1/events: ${r.status} ${await r.text()}`);
					accepted += ((await r.json()) as { accepted: number }).accepted;
				}
			})
		);
		const seconds = (performance.now() - t0) / 1000;
		if (accepted !== events.length) throw new Error(`accepted ${accepted} of ${events.length}`);
		return seconds;
	} finally {
		await srv.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}

async function rawAppender(events: BenchEvent[]): Promise<number> {
	const dir = mkdtempSync(join(tmpdir(), 'cx-bench-raw-'));
	const instance = await DuckDBInstance.create(join(dir, 'raw.duckdb'));
	const conn = await instance.connect();
	try {
		// The same table as migrations 0003 and 0011 (event_id unique by the commit path, no key).
		await conn.run(`CREATE TABLE events (event_id TEXT NOT NULL, customer_id TEXT NOT NULL, occurred_at TIMESTAMP NOT NULL,
			channel TEXT NOT NULL, type TEXT NOT NULL, value DOUBLE, rating INTEGER, ticket_id TEXT, agent_id TEXT, attrs JSON,
			source TEXT NOT NULL, ingested_at TIMESTAMP NOT NULL)`);
		const t0 = performance.now();
		for (let i = 0; i < events.length; i += BATCH) {
			const ingested = new DuckDBTimestampValue(BigInt(Date.now()) * 1000n);
			const app = await conn.createAppender('events');
			try {
				for (const e of events.slice(i, i + BATCH)) {
					app.appendVarchar(e.event_id);
					app.appendVarchar(e.customer_id);
					app.appendTimestamp(new DuckDBTimestampValue(BigInt(Date.parse(e.occurred_at)) * 1000n));
					app.appendVarchar(e.channel);
					app.appendVarchar(e.type);
					if (e.value === undefined) app.appendNull();
					else app.appendDouble(e.value);
					if (e.rating === undefined) app.appendNull();
					else app.appendInteger(e.rating);
					if (e.ticket_id === undefined) app.appendNull();
					else app.appendVarchar(e.ticket_id);
					if (e.agent_id === undefined) app.appendNull();
					else app.appendVarchar(e.agent_id);
					app.appendNull();
					app.appendVarchar('raw');
					app.appendTimestamp(ingested);
					app.endRow();
				}
				app.flushSync();
			} finally {
				app.closeSync();
			}
		}
		return (performance.now() - t0) / 1000;
	} finally {
		conn.closeSync();
		instance.closeSync();
		rmSync(dir, { recursive: true, force: true });
	}
}

const events = makeEvents(TOTAL);
const httpSeconds = await overHttp(events);
const rawSeconds = await rawAppender(events);
const http = Math.round(TOTAL / httpSeconds);
const raw = Math.round(TOTAL / rawSeconds);
console.log(
	JSON.stringify({
		bench: 'ingest',
		events: TOTAL,
		batch: BATCH,
		clients: CLIENTS,
		http_seconds: Number(httpSeconds.toFixed(2)),
		http_events_per_s: http,
		raw_events_per_s: raw,
		ratio: Number((http / raw).toFixed(3)),
		goal_http_events_per_s: 100_000,
		goal_ratio: 0.25
	})
);
