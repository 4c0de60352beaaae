// Property/fuzz tests of POST /api/v1/events against one real server: malformed, truncated, oversized,
// wrongly typed and hostile bodies never get a 5xx, never store part of a batch, and always get an error
// naming the record and field. Reproducible: fixed fast-check seed (CX_FUZZ_SEED), printed on failure.
// At the end the server is stopped and the database must hold exactly the accepted events, byte for byte.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { toNdjson } from '../fixtures/events';
import { aValidEvent, arrowBody, fuzzParams, hostileArrowBody, hostileValidEvent, nestedJson, recordWithOneBadField } from '../fixtures/hostile';
import { startServer, type TestServer } from '../helpers/server';

const MAX_BODY = 6 * 1024 * 1024;
const JSON_TYPE = 'application/json';
const NDJSON_TYPE = 'application/x-ndjson';
const ARROW_TYPE = 'application/vnd.apache.arrow.stream';

let dir: string;
let dbPath: string;
let srv: TestServer;
let key: string;

/** Every event a 200 answer accepted, by id, as sent. */
const stored = new Map<string, Record<string, unknown>>();
/** Ids of records that came in rejected bodies (and were never sent again): none may be stored. */
const refused = new Set<string>();
/** Events accepted from randomly typed Arrow bodies (not tracked by id). */
let arrowStored = 0;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-fuzz-api-'));
	dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		const k = await createApiKey(db, { scope: 'ingest', name: 'fuzz', createdBy: 'test' });
		if (!k.ok) throw new Error(k.error);
		key = k.value.token;
	} finally {
		await shutdownDb(dbPath);
	}
	srv = await startServer({ dir, env: { CX_MAX_BODY_BYTES: String(MAX_BODY) } });
}, 120_000);

afterAll(async () => {
	await srv?.stop({ keepDir: true });
	await shutdownDb(dbPath).catch(() => undefined);
	rmSync(dir, { recursive: true, force: true });
});

interface Answer {
	status: number;
	text: string;
	json: () => Record<string, unknown>;
}

async function post(body: BodyInit, contentType: string | null): Promise<Answer> {
	const headers: Record<string, string> = { authorization: `Bearer ${key}` };
	if (contentType !== null) headers['content-type'] = contentType;
	const r = await fetch(`${srv.url}/api/v1/events`, { method: 'POST', headers, body, signal: AbortSignal.timeout(30_000) });
	const text = await r.text();
	return { status: r.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

interface RecordError {
	index: number;
	field: string;
	message: string;
}

/** A 4xx answer with {errors:[{index, field, message}]}; every message says something. */
function errorsOf(a: Answer, status: number): RecordError[] {
	expect(a.status, `${a.text.slice(0, 500)}\n${a.status >= 500 ? srv.output().slice(-3000) : ''}`).toBe(status);
	const errors = a.json().errors as RecordError[];
	expect(Array.isArray(errors) && errors.length > 0, a.text.slice(0, 500)).toBe(true);
	expect(errors.length).toBeLessThanOrEqual(100);
	for (const e of errors) {
		expect(Number.isInteger(e.index), a.text.slice(0, 500)).toBe(true);
		expect(typeof e.field === 'string' && e.field.length > 0, a.text.slice(0, 500)).toBe(true);
		expect(typeof e.message === 'string' && e.message.length > 5, a.text.slice(0, 500)).toBe(true);
	}
	return errors;
}

function refuse(records: readonly Record<string, unknown>[]) {
	for (const r of records) if (typeof r.event_id === 'string') refused.add(r.event_id);
}

function accept(a: Answer, records: readonly Record<string, unknown>[]) {
	expect(a.status, `${a.text.slice(0, 500)}\n${a.status >= 500 ? srv.output().slice(-3000) : ''}`).toBe(200);
	expect(a.json()).toEqual({ accepted: records.length, duplicates: 0 });
	for (const r of records) stored.set(String(r.event_id), r);
}

const serialize = (format: 'json' | 'ndjson', records: readonly unknown[]) => (format === 'json' ? JSON.stringify(records) : toNdjson(records));
const typeOf = (format: 'json' | 'ndjson') => (format === 'json' ? JSON_TYPE : NDJSON_TYPE);

describe('POST /api/v1/events under fuzz', { timeout: 120_000 }, () => {
	it('a batch with one bad record anywhere: 422 naming that index and field, nothing stored', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.constant(null), { maxLength: 20 }),
				fc.nat(),
				recordWithOneBadField(),
				fc.constantFrom('json' as const, 'ndjson' as const),
				async (slots, at, bad, format) => {
					const good = slots.map(() => aValidEvent());
					const k = at % (good.length + 1);
					const batch = [...good.slice(0, k), bad.record, ...good.slice(k)];
					const errors = errorsOf(await post(serialize(format, batch), typeOf(format)), 422);
					expect(errors.every((e) => e.index === k), JSON.stringify(errors)).toBe(true);
					expect(errors.map((e) => e.field), JSON.stringify({ bad, errors })).toContain(bad.field);
					refuse(batch);
				}
			),
			fuzzParams(200)
		);
	});

	it('valid records whose text is hostile (formula prefixes, NUL, any code point, __proto__ keys) are all stored', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(hostileValidEvent(), { minLength: 1, maxLength: 25 }), fc.constantFrom('json' as const, 'ndjson' as const), async (batch, format) => {
				accept(await post(serialize(format, batch), typeOf(format)), batch);
			}),
			// Each run commits (the costly path), so fewer runs of bigger batches.
			fuzzParams(40)
		);
	});

	it('bodies cut at any byte: 400/422 and nothing stored, except NDJSON cut at a line end (a shorter valid batch)', async () => {
		await fc.assert(
			fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('json', 'ndjson', 'arrow'), async (n, where, format) => {
				const batch = Array.from({ length: n }, () => aValidEvent());
				const full = format === 'arrow' ? arrowBody(batch) : new TextEncoder().encode(serialize(format, batch));
				const cut = Math.min(full.length - 1, Math.floor(where * full.length));
				const a = await post(full.slice(0, cut), format === 'arrow' ? ARROW_TYPE : typeOf(format));
				if (format === 'ndjson' && a.status === 200) {
					// Only whole lines can make a valid body; those records are stored, the rest are not.
					const whole = new TextDecoder().decode(full.slice(0, cut)).split('\n').filter((l) => l.trim()).length;
					accept(a, batch.slice(0, whole));
					refuse(batch.slice(whole));
					return;
				}
				expect([400, 422], `${format} cut at ${cut}/${full.length}: ${a.status} ${a.text.slice(0, 300)}`).toContain(a.status);
				errorsOf(a, a.status);
				refuse(batch);
			}),
			fuzzParams(200)
		);
	});

	it('random bytes under every content type: 400/415/422, never a 5xx', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.uint8Array({ maxLength: 300 }),
				fc.constantFrom(JSON_TYPE, NDJSON_TYPE, ARROW_TYPE, 'text/csv', 'application/json; charset=latin1', 'application/x-www-form-urlencoded', ''),
				async (bytes, contentType) => {
					const a = await post(bytes, contentType || null);
					expect([200, 400, 415, 422], `${contentType}: ${a.status} ${a.text.slice(0, 300)}`).toContain(a.status);
					// Random bytes can spell an empty batch ("[]"), never a stored event.
					if (a.status === 200) expect(a.json()).toEqual({ accepted: 0, duplicates: 0 });
				}
			),
			fuzzParams(150)
		);
	});

	it('Arrow streams with columns of any type: 200 or 422 with indexes inside the batch, never a 5xx', async () => {
		await fc.assert(
			fc.asyncProperty(hostileArrowBody(), async ({ bytes, rows }) => {
				const a = await post(bytes as Uint8Array<ArrayBuffer>, ARROW_TYPE);
				expect([200, 422], `${a.status} ${a.text.slice(0, 300)}`).toContain(a.status);
				if (a.status === 422) for (const e of errorsOf(a, 422)) expect(e.index >= 0 && e.index < rows, JSON.stringify(e)).toBe(true);
				// Their ids are not tracked: a random valid row may be stored, so the final count cannot cover it.
				if (a.status === 200) arrowStored += (a.json().accepted as number) ?? 0;
			}),
			fuzzParams(100)
		);
	});

	it('concurrent hostile and valid requests: each gets its own answer, bad ones never ride along in a group commit', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(fc.option(recordWithOneBadField(), { freq: 2, nil: null }), { minLength: 2, maxLength: 8 }), async (plan) => {
				const batches = plan.map((bad) => ({ bad, records: bad ? [aValidEvent(), bad.record, aValidEvent()] : [aValidEvent(), aValidEvent()] }));
				const answers = await Promise.all(batches.map((b) => post(JSON.stringify(b.records), JSON_TYPE)));
				answers.forEach((a, i) => {
					const { bad, records } = batches[i];
					if (bad) {
						expect(errorsOf(a, 422).map((e) => e.index)).toContain(1);
						refuse(records);
					} else accept(a, records);
				});
			}),
			fuzzParams(30)
		);
	});

	// Form types too: a request with an API key is not a browser form, so no CSRF refusal stands in the way.
	it('wrong content types get 415 naming the accepted ones', async () => {
		await fc.assert(
			fc.asyncProperty(fc.string({ unit: 'grapheme-ascii', maxLength: 40 }).filter((t) => !/^\s*application\/(json|x-ndjson|ndjson|jsonl|vnd\.apache\.arrow\.stream)\s*(;|$)/i.test(t)), async (t) => {
				// Bytes, so fetch adds no text/plain of its own when there is no content type.
				const a = await post(new TextEncoder().encode(JSON.stringify([aValidEvent()])), t.trim() ? t : null);
				expect(a.status, `${JSON.stringify(t)}: ${a.text}`).toBe(415);
				expect(a.json().error).toMatch(/application\/json/);
			}),
			fuzzParams(100)
		);
	});
});

describe('POST /api/v1/events: named hostile cases', { timeout: 120_000 }, () => {
	it('malformed JSON and empty bodies: 400 naming the position', async () => {
		for (const body of ['[{"customer_id": "a",}]', '[{"value": NaN}]', '[{"value": Infinity}]', '{"customer_id":"x"}', '"events"', 'null', '[', ']']) {
			const e = errorsOf(await post(body, JSON_TYPE), 400);
			expect(e[0]).toMatchObject({ index: -1, field: 'body' });
		}
		expect(errorsOf(await post('[\n{"a": 1},\n{"b" 2}]', JSON_TYPE), 400)[0].message).toMatch(/line 3/);
		for (const t of [JSON_TYPE, NDJSON_TYPE, ARROW_TYPE]) {
			expect(errorsOf(await post('', t), 400)[0].message).toMatch(/is empty/);
			expect(errorsOf(await post(' \n\n ', t), 400)[0].message).toMatch(/is empty/);
		}
	});

	it('a UTF-8 byte order mark before a JSON or NDJSON body is skipped', async () => {
		const j = [aValidEvent()];
		accept(await post(`\ufeff${JSON.stringify(j)}`, JSON_TYPE), j);
		const n = [aValidEvent(), aValidEvent()];
		accept(await post(`\ufeff${toNdjson(n)}`, NDJSON_TYPE), n);
	});

	it('an empty array is an empty batch', async () => {
		const a = await post('[]', JSON_TYPE);
		expect(a.status).toBe(200);
		expect(a.json()).toEqual({ accepted: 0, duplicates: 0 });
	});

	it('invalid UTF-8: 400 naming the byte and line', async () => {
		const ev = aValidEvent();
		const text = JSON.stringify([ev]);
		const at = text.indexOf('fz-c');
		const bytes = new Uint8Array([...new TextEncoder().encode(text.slice(0, at)), 0xff, 0xc3, ...new TextEncoder().encode(text.slice(at))]);
		const e = errorsOf(await post(bytes, JSON_TYPE), 400);
		expect(e[0].message).toBe(`is not valid UTF-8 text (byte ${at}, line 1)`);
		const nd = new Uint8Array([...new TextEncoder().encode(toNdjson([aValidEvent()])), ...bytes.slice(1, -1)]);
		expect(errorsOf(await post(nd, NDJSON_TYPE), 400)[0].message).toMatch(/line 2\)$/);
		refuse([ev]);
	});

	it('attrs nested 100,000 deep (and 4,000 deep, which overflowed the stack) is refused with a clear message', async () => {
		for (const depth of [100_000, 4_000, 65]) {
			const ev = aValidEvent();
			for (const format of ['json', 'ndjson'] as const) {
				const text = serialize(format, [aValidEvent(), ev]).replace(`"event_id":"${String(ev.event_id)}"`, `"event_id":"${String(ev.event_id)}","attrs":{"a":${nestedJson(depth)}}`);
				const e = errorsOf(await post(text, typeOf(format)), 422);
				expect(e, `${depth} ${format}`).toEqual([{ index: 1, field: 'attrs', message: 'must not nest objects or arrays deeper than 64 levels' }]);
			}
			refuse([ev]);
		}
		const ok = { ...aValidEvent(), attrs: JSON.parse(`{"a":${nestedJson(63)}}`) as unknown };
		accept(await post(JSON.stringify([ok]), JSON_TYPE), [ok]);
		// Nesting outside attrs is not an event at all.
		const deep = errorsOf(await post(`[${nestedJson(100_000, '{"a":', '}', '1')}]`, JSON_TYPE), 422);
		expect(deep[0]).toMatchObject({ index: 0, field: 'a' });
	});

	it('multi-MB strings in every text field: 422 with a short answer that names the field', async () => {
		const huge = 'A'.repeat(5 * 1024 * 1024);
		for (const field of ['customer_id', 'event_id', 'occurred_at', 'channel', 'type', 'ticket_id', 'agent_id', 'value', 'rating', 'attrs']) {
			const ev = { ...aValidEvent(), [field]: huge };
			const a = await post(JSON.stringify([ev]), JSON_TYPE);
			expect(a.text.length, field).toBeLessThan(2000);
			expect(errorsOf(a, 422).map((e) => e.field), field).toContain(field);
			refuse([ev]);
		}
		const inAttrs = { ...aValidEvent(), attrs: { note: huge } };
		expect(errorsOf(await post(JSON.stringify([inAttrs]), JSON_TYPE), 422)[0]).toMatchObject({ field: 'attrs', message: expect.stringMatching(/at most 16384 bytes/) });
		refuse([inAttrs]);
	});

	it('lone UTF-16 surrogates (JSON "\\ud800" escapes) are refused, not stored mangled or failing the commit', async () => {
		for (const [field, json] of [
			['customer_id', '"customer_id":"a\\ud800b"'],
			['attrs', '"attrs":{"k":"x\\udc00"}'],
			['attrs', '"attrs":{"\\ud83d":1}'],
			['ticket_id', '"ticket_id":"\\udfff"']
		]) {
			const ev = aValidEvent();
			const text = JSON.stringify([ev]).replace(/"customer_id":"[^"]*"/, field === 'customer_id' ? json : `"customer_id":"c",${json}`);
			const e = errorsOf(await post(text, JSON_TYPE), 422);
			expect(e, json).toEqual([{ index: 0, field, message: expect.stringMatching(/valid Unicode/) }]);
			refuse([ev]);
		}
		// A proper pair written as escapes is fine.
		const pair = aValidEvent();
		const text = JSON.stringify([pair]).replace(/"customer_id":"[^"]*"/, '"customer_id":"smile-\\ud83d\\ude00"');
		accept(await post(text, JSON_TYPE), [{ ...pair, customer_id: 'smile-😀' }]);
	});

	it('NUL bytes and prototype keys as field names name the field; inside strings they are data', async () => {
		for (const name of ['a\u0000b', '__proto__', 'constructor', '\u0000']) {
			const ev = aValidEvent();
			const text = JSON.stringify([ev]).replace(/^\[\{/, `[{${JSON.stringify(name)}:{"polluted":true},`);
			const e = errorsOf(await post(text, JSON_TYPE), 422);
			expect(e).toEqual([{ index: 0, field: name, message: expect.stringMatching(/is not an event field/) }]);
			refuse([ev]);
		}
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		const nul = { ...aValidEvent(), customer_id: 'nul\u0000inside', attrs: { 'k\u0000': 'v\u0000' } };
		const text = JSON.stringify([nul]).replace('"k\\u0000"', '"__proto__":{"polluted":true},"k\\u0000"');
		accept(await post(text, JSON_TYPE), [JSON.parse(text)[0] as Record<string, unknown>]);
	});

	it('numbers: 1e400 and huge ratings are refused, -0 and 1e308 are stored', async () => {
		const inf = aValidEvent();
		const e = errorsOf(await post(JSON.stringify([inf]).replace(/}]$/, ',"value":1e400}]'), JSON_TYPE), 422);
		expect(e).toEqual([{ index: 0, field: 'value', message: 'must be a finite number, got Infinity' }]);
		refuse([inf]);
		const rating = { ...aValidEvent(), type: 'survey_nps', rating: 1e300 };
		expect(errorsOf(await post(JSON.stringify([rating]), JSON_TYPE), 422)[0].field).toBe('rating');
		refuse([rating]);
		const ok = [
			{ ...aValidEvent(), type: 'purchase', value: -0 },
			{ ...aValidEvent(), type: 'purchase', value: 1e308 },
			{ ...aValidEvent(), type: 'purchase', value: -5e-324 }
		];
		accept(await post(JSON.stringify(ok), JSON_TYPE), ok);
	});

	it('timestamps out of range: before 1900, impossible dates, the far future, also as Arrow timestamps', async () => {
		for (const [when, msg] of [
			['1899-12-31T23:59:59Z', /must not be before 1900-01-01/],
			['0000-01-01', /must not be before 1900-01-01/],
			['2024-02-30', /ISO-8601/],
			['2100-01-01', /future/],
			['-001000-01-01T00:00:00Z', /ISO-8601/]
		] as const) {
			const ev = { ...aValidEvent(), occurred_at: when };
			expect(errorsOf(await post(JSON.stringify([ev]), JSON_TYPE), 422)[0], when).toMatchObject({ index: 0, field: 'occurred_at', message: expect.stringMatching(msg) });
			refuse([ev]);
		}
		const old = [aValidEvent(), { ...aValidEvent(), occurred_at: '1000-01-01T00:00:00Z' }, { ...aValidEvent(), occurred_at: '+200000-01-01T00:00:00Z' }];
		const e = errorsOf(await post(arrowBody(old) as Uint8Array<ArrayBuffer>, ARROW_TYPE), 422);
		expect(e.map((x) => [x.index, x.field])).toEqual([
			[1, 'occurred_at'],
			[2, 'occurred_at']
		]);
		expect(e[0].message).toMatch(/must not be before 1900-01-01/);
		refuse(old);
	});

	it('over CX_MAX_BODY_BYTES: 413, whether the length is declared or streamed', async () => {
		const big = new Uint8Array(MAX_BODY + 1).fill(0x20);
		const a = await post(big, JSON_TYPE);
		expect(a.status).toBe(413);
		expect(a.json().error).toMatch(/CX_MAX_BODY_BYTES/);
		const stream = new ReadableStream<Uint8Array>({
			start(c) {
				for (let i = 0; i < big.length; i += 65_536) c.enqueue(big.subarray(i, i + 65_536));
				c.close();
			}
		});
		const s = await fetch(`${srv.url}/api/v1/events`, {
			method: 'POST',
			headers: { 'content-type': NDJSON_TYPE, authorization: `Bearer ${key}` },
			body: stream,
			duplex: 'half'
		} as RequestInit);
		expect(s.status).toBe(413);
	});
});

describe('afterwards', { timeout: 120_000 }, () => {
	it('the server is healthy and accepts a valid batch in every format', async () => {
		const h = await fetch(`${srv.url}/api/v1/health`);
		expect(h.status).toBe(200);
		const j = [aValidEvent(), aValidEvent()];
		accept(await post(JSON.stringify(j), JSON_TYPE), j);
		const n = [aValidEvent(), aValidEvent()];
		accept(await post(toNdjson(n), NDJSON_TYPE), n);
		const w = [aValidEvent(), aValidEvent()];
		accept(await post(arrowBody(w) as Uint8Array<ArrayBuffer>, ARROW_TYPE), w.map((e, i) => ({ ...e, value: i })));
		expect(srv.output()).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
	});

	it('the database holds exactly the accepted events, as sent, and nothing of a refused body', async () => {
		await srv.stop({ keepDir: true });
		const db = await getDb(dbPath);
		try {
			const rows = await db.all<{ event_id: string; customer_id: string; ticket_id: string | null; agent_id: string | null; value: number | null; attrs: string | null }>(
				'SELECT event_id, customer_id, ticket_id, agent_id, value, attrs FROM events'
			);
			expect(rows.length).toBe(stored.size + arrowStored);
			let untracked = 0;
			for (const r of rows) {
				expect(refused.has(r.event_id), r.event_id).toBe(false);
				const sent = stored.get(r.event_id);
				if (!sent) {
					untracked++;
					continue;
				}
				expect(r.customer_id).toBe(sent.customer_id);
				expect(r.ticket_id).toBe(sent.ticket_id ?? null);
				expect(r.agent_id).toBe(sent.agent_id ?? null);
				expect(r.value === (sent.value ?? null), `${r.event_id} value ${r.value} vs ${String(sent.value)}`).toBe(true);
				expect(r.attrs === null ? null : JSON.parse(r.attrs), r.event_id).toEqual(sent.attrs === undefined ? null : JSON.parse(JSON.stringify(sent.attrs)));
			}
			// Every tracked event is there; the rest are exactly the valid rows of the randomly typed Arrow bodies.
			expect(untracked).toBe(arrowStored);
			expect(refused.size).toBeGreaterThan(500);
			expect(stored.size).toBeGreaterThan(200);
		} finally {
			await shutdownDb(dbPath);
		}
	});
});
