// POST /api/v1/events against the real built server with real API keys.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, ROOT, type TestServer } from '../helpers/server';
import { anEvent, toNdjson } from '../fixtures/events';

/** Creates an API key with the CLI (before the server holds the file); the secret is the last line. */
function createKey(dbPath: string, scope: string): string {
	const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'keys', 'create', '--scope', scope, '--db', dbPath], {
		cwd: ROOT,
		encoding: 'utf8'
	});
	if (r.status !== 0) throw new Error(`keys create failed: ${r.stderr}`);
	return r.stdout.trim().split('\n').pop()!.trim();
}

let dir: string;
let srv: TestServer;
let ingestKey: string;
let adminKey: string;
let viewerKey: string;
const MAX_BODY = 64 * 1024;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-ingest-http-'));
	const db = join(dir, 'cx.duckdb');
	ingestKey = createKey(db, 'ingest');
	adminKey = createKey(db, 'admin');
	viewerKey = createKey(db, 'executive');
	srv = await startServer({ dir, env: { CX_MAX_BODY_BYTES: String(MAX_BODY) } });
}, 120_000);

afterAll(async () => {
	await srv?.stop();
	rmSync(dir, { recursive: true, force: true });
});

function post(body: BodyInit, contentType: string | null, key: string | null = ingestKey) {
	const headers: Record<string, string> = {};
	if (contentType) headers['content-type'] = contentType;
	if (key) headers.authorization = `Bearer ${key}`;
	return fetch(`${srv.url}/api/v1/events`, { method: 'POST', headers, body });
}

describe('POST /api/v1/events', () => {
	it('accepts NDJSON and reports repeats as duplicates', async () => {
		const events = Array.from({ length: 50 }, (_, i) => anEvent().withoutId().withCustomer(`h${i % 5}`).at(new Date(Date.UTC(2024, 4, 1, 0, i))).build());
		const r1 = await post(toNdjson(events), 'application/x-ndjson');
		expect(r1.status).toBe(200);
		expect(await r1.json()).toEqual({ accepted: 50, duplicates: 0 });
		const r2 = await post(JSON.stringify(events.slice(0, 10)), 'application/json', adminKey);
		expect(await r2.json()).toEqual({ accepted: 0, duplicates: 10 });
	});

	it('accepts an Arrow IPC stream', async () => {
		const table = tableFromArrays({
			event_id: ['arrow-1', 'arrow-2'],
			customer_id: ['ar1', 'ar2'],
			occurred_at: [new Date('2024-05-01T10:00:00Z'), new Date('2024-05-01T11:00:00Z')],
			type: ['purchase', 'survey_nps'],
			value: Float64Array.from([42, 0]),
			rating: Int32Array.from([0, 9])
		});
		const r = await post(tableToIPC(table, 'stream') as Uint8Array<ArrayBuffer>, 'application/vnd.apache.arrow.stream');
		expect(r.status).toBe(200);
		expect(await r.json()).toEqual({ accepted: 2, duplicates: 0 });
	});

	it('422 lists index/field/message and stores nothing of the batch', async () => {
		const good = Array.from({ length: 3 }, () => anEvent().build());
		const bad = anEvent().withType('survey_csat').withRating(9).build();
		const r = await post(JSON.stringify([...good, bad]), 'application/json');
		expect(r.status).toBe(422);
		expect(await r.json()).toEqual({
			error: 'index 3, rating: must be from 1 to 5 for survey_csat, got 9',
			errors: [{ index: 3, field: 'rating', message: 'must be from 1 to 5 for survey_csat, got 9' }]
		});
		const again = await post(JSON.stringify(good), 'application/json');
		expect(await again.json()).toEqual({ accepted: 3, duplicates: 0 });
	});

	it('422 names the line of malformed NDJSON', async () => {
		const r = await post(`${JSON.stringify(anEvent().build())}\n{"broken"\n`, 'application/x-ndjson');
		expect(r.status).toBe(422);
		const body = (await r.json()) as { errors: { index: number; field: string; message: string }[] };
		expect(body.errors[0]).toMatchObject({ index: 1, field: 'body' });
		expect(body.errors[0].message).toMatch(/^line 2: malformed JSON/);
	});

	it('413 past CX_MAX_BODY_BYTES, also when streamed without content-length', async () => {
		const big = toNdjson(Array.from({ length: 1000 }, () => anEvent().build()));
		expect(big.length).toBeGreaterThan(MAX_BODY);
		const r = await post(big, 'application/x-ndjson');
		expect(r.status).toBe(413);
		const chunks = new TextEncoder().encode(big);
		const stream = new ReadableStream<Uint8Array>({
			start(c) {
				for (let i = 0; i < chunks.length; i += 8192) c.enqueue(chunks.subarray(i, i + 8192));
				c.close();
			}
		});
		const s = await fetch(`${srv.url}/api/v1/events`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${ingestKey}` },
			body: stream,
			duplex: 'half'
		} as RequestInit);
		expect(s.status).toBe(413);
	});

	it('415 for other content types', async () => {
		const r = await post('customer_id,type\n', 'text/csv');
		expect(r.status).toBe(415);
	});

	it('401 without or with a wrong key, 403 for a key without the ingest scope', async () => {
		const body = JSON.stringify([anEvent().build()]);
		expect((await post(body, 'application/json', null)).status).toBe(401);
		expect((await post(body, 'application/json', 'cx_not-a-real-key')).status).toBe(401);
		expect((await post(body, 'application/json', viewerKey)).status).toBe(403);
	});
});
