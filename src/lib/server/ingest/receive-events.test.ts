import { tableToIPC, tableFromArrays } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anEvent, toNdjson } from '../../../../tests/fixtures/events';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { receiveEvents } from './receive-events';

let t: TempDb;
beforeEach(async () => {
	t = await tempDb();
});
afterEach(async () => {
	await t.cleanup();
});

const stream = (body: string | Uint8Array) => new Blob([body as BlobPart]).stream();
const post = (contentType: string | null, body: string | Uint8Array, maxBodyBytes = 1 << 20, contentLength: string | null = null) =>
	receiveEvents(t.db, { contentType, contentLength, body: stream(body) }, { maxBodyBytes, source: 'api' });

describe('receiveEvents', () => {
	it('accepts a JSON array and NDJSON', async () => {
		const a = [anEvent().build(), anEvent().build()];
		expect(await post('application/json; charset=utf-8', JSON.stringify(a))).toEqual({ status: 200, body: { accepted: 2, duplicates: 0 } });
		expect(await post('application/x-ndjson', toNdjson(a) + '\n\n')).toEqual({ status: 200, body: { accepted: 0, duplicates: 2 } });
	});

	it('accepts an Arrow IPC stream with timestamp columns', async () => {
		const table = tableFromArrays({
			customer_id: ['a1', 'a2'],
			occurred_at: [new Date('2024-05-01T00:00:00Z'), new Date('2024-05-02T00:00:00Z')],
			type: ['survey_csat', 'purchase'],
			rating: Int32Array.from([5, 0]),
			value: Float64Array.from([0, 12.5])
		});
		const r = await post('application/vnd.apache.arrow.stream', tableToIPC(table, 'stream'));
		expect(r.status).toBe(200);
		const rows = await t.db.all<{ customer_id: string; occurred_at: Date }>('SELECT customer_id, occurred_at FROM events ORDER BY customer_id');
		expect(rows.map((x) => x.occurred_at.toISOString())).toEqual(['2024-05-01T00:00:00.000Z', '2024-05-02T00:00:00.000Z']);
	});

	it('422 lists the first 100 problems and flags a batch that had more', async () => {
		const bad = (n: number) => toNdjson(Array.from({ length: n }, () => anEvent().with('type', 'bad').build()));
		const many = await post('application/x-ndjson', bad(150));
		expect(many.status).toBe(422);
		expect(many.body).toMatchObject({ truncated: true });
		expect('errors' in many.body ? many.body.errors.length : 0).toBe(100);
		const exact = await post('application/x-ndjson', bad(100));
		expect(exact.body).not.toHaveProperty('truncated');
		const lines = await post('application/x-ndjson', 'x\n'.repeat(101));
		expect(lines).toMatchObject({ status: 422, body: { truncated: true } });
		expect('errors' in lines.body ? lines.body.errors.at(-1) : null).toMatchObject({ index: 99, message: expect.stringMatching(/^line 100: malformed JSON/) });
	});

	it('415 for other content types', async () => {
		expect((await post('text/csv', 'a,b')).status).toBe(415);
		expect((await post(null, '[]')).status).toBe(415);
	});

	it('413 when the body passes the limit, whatever content-length says', async () => {
		const big = JSON.stringify(Array.from({ length: 200 }, () => anEvent().build()));
		expect((await post('application/json', big, 2048)).status).toBe(413);
		expect((await post('application/json', big, 2048, '10')).status).toBe(413);
		expect((await post('application/json', '[]', 2048, '999999')).status).toBe(413);
		expect((await t.db.one<{ n: number }>('SELECT count(*) AS n FROM events'))?.n).toBe(0);
	});

	it('422 naming the line of malformed NDJSON, 400 with the position of malformed JSON', async () => {
		const good = JSON.stringify(anEvent().build());
		const r = await post('application/x-ndjson', `${good}\n\n{"customer_id": oops}\n${good}\n`);
		expect(r).toEqual({ status: 422, body: { errors: [{ index: 1, field: 'body', message: expect.stringMatching(/^line 3: malformed JSON/) }] } });
		const j = await post('application/json', '[\n{"a": 1},\n{"b" 2}]');
		expect(j.status).toBe(400);
		expect(JSON.stringify(j.body)).toMatch(/line 3/);
		expect((await post('application/json', '{"customer_id":"x"}')).status).toBe(400);
	});

	it('422 with index/field/message for invalid records and nothing stored', async () => {
		const r = await post('application/json', JSON.stringify([anEvent().build(), anEvent().with('value', 'x').build()]));
		expect(r).toEqual({ status: 422, body: { errors: [{ index: 1, field: 'value', message: expect.any(String) }] } });
		expect((await t.db.one<{ n: number }>('SELECT count(*) AS n FROM events'))?.n).toBe(0);
	});
});
