// Parquet export of a time range (DESIGN §10): the library function DuckDB reads back, bad ranges
// named, and the HTTP endpoint for analysts only against the real server.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { exportEventsParquet } from '../../src/lib/server/export/events-parquet';
import { ingestEvents } from '../../src/lib/server/ingest';
import { anEvent } from '../fixtures/events';
import { startServer, type TestServer } from '../helpers/server';

const EVENTS = [
	anEvent().withId('x-1').withCustomer('a').at('2026-01-01T00:00:00Z').build(),
	anEvent().withId('x-2').withCustomer('b').at('2026-01-01T23:59:59Z').withType('purchase').withValue(12.5).build(),
	anEvent().withId('x-3').withCustomer('a').at('2026-01-02T00:00:00Z').build(),
	anEvent().withId('x-4').withCustomer('c').at('2026-01-05T08:00:00Z').build()
];

async function readParquet(bytes: Uint8Array | string): Promise<{ event_id: string; value: number | null }[]> {
	let path = bytes as string;
	if (typeof bytes !== 'string') {
		path = join(dir, `read-${Math.random()}.parquet`);
		writeFileSync(path, bytes);
	}
	const i = await DuckDBInstance.create(':memory:');
	const c = await i.connect();
	const r = await c.runAndReadAll(`SELECT event_id, value FROM read_parquet('${path}') ORDER BY occurred_at, event_id`);
	c.closeSync();
	return r.getRowObjectsJS() as { event_id: string; value: number | null }[];
}

let dir: string;
let server: TestServer;
const keys: Record<string, string> = {};

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-export-'));
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		const r = await ingestEvents(db, EVENTS, { source: 'test' });
		if (!r.ok) throw new Error(JSON.stringify(r));
		for (const scope of ['analyst', 'retention', 'executive'] as const) {
			const k = await createApiKey(db, { name: scope, scope, createdBy: 'test' });
			if (!k.ok) throw new Error(k.error);
			keys[scope] = k.value.token;
		}
		// The library function, before the server takes the file.
		const out = join(dir, 'day1.parquet');
		const day1 = await exportEventsParquet(db, { from: '2026-01-01', to: '2026-01-02' }, out);
		expect(day1).toEqual({ ok: true, value: { rows: 2 } });
		expect(await readParquet(out)).toEqual([
			{ event_id: 'x-1', value: null },
			{ event_id: 'x-2', value: 12.5 }
		]);
		const all = await exportEventsParquet(db, { from: null, to: null }, join(dir, 'all.parquet'));
		expect(all).toEqual({ ok: true, value: { rows: 4 } });
		expect(await exportEventsParquet(db, { from: 'yesterday', to: null }, join(dir, 'bad.parquet'))).toEqual({
			ok: false,
			error: 'from must be an ISO-8601 date or timestamp (e.g. 2026-01-31 or 2026-01-31T12:00:00Z), not "yesterday"'
		});
		expect(await exportEventsParquet(db, { from: '2026-01-02', to: '2026-01-01' }, join(dir, 'bad.parquet'))).toEqual({ ok: false, error: 'from must be before to' });
	} finally {
		await shutdownDb(dbPath);
	}
	server = await startServer({ dir, env: { CX_DEMO: 'off' } });
}, 120_000);

afterAll(async () => {
	await server?.stop({ keepDir: true });
	rmSync(dir, { recursive: true, force: true });
});

const get = (key: string | null, query: string) =>
	fetch(`${server.url}/api/v1/export/events.parquet${query}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

describe('GET /api/v1/export/events.parquet', () => {
	it('gives analysts the events of [from, to) as a Parquet download', async () => {
		const r = await get(keys.analyst, '?from=2026-01-01T12:00:00Z&to=2026-01-05');
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toBe('application/vnd.apache.parquet');
		expect(r.headers.get('content-disposition')).toBe('attachment; filename="events-from-2026-01-01-to-2026-01-05.parquet"');
		expect(r.headers.get('x-row-count')).toBe('2');
		const rows = await readParquet(new Uint8Array(await r.arrayBuffer()));
		expect(rows.map((x) => x.event_id)).toEqual(['x-2', 'x-3']);
	});

	it('names a bad parameter and refuses other roles and anonymous callers', async () => {
		const bad = await get(keys.analyst, '?to=soon');
		expect(bad.status).toBe(400);
		expect(await bad.text()).toContain('to must be an ISO-8601 date');
		// `since` is not a parameter: refused rather than exporting everything.
		const typo = await get(keys.analyst, '?since=2026-01-02');
		expect(typo.status).toBe(400);
		expect(await typo.text()).toContain('unknown parameter since; use from, to');
		expect((await get(keys.retention, '')).status).toBe(403);
		expect((await get(keys.executive, '')).status).toBe(403);
		expect((await get(null, '')).status).toBe(401);
	});
});
