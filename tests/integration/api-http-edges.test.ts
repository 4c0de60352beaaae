// The HTTP edges of the API against the real built server: oversized bodies answered with their 413 (not a
// reset connection), API-key clients exempt from the browser CSRF check while cookie sessions keep it,
// every /api error as JSON (405 too), and Content-Encoding on POST /events.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { anEvent, toNdjson } from '../fixtures/events';
import { startServer, type TestServer } from '../helpers/server';
import { signInOver } from './auth-http';

/** The default CX_MAX_BODY_BYTES: the size QA's 16.8 MB upload was refused against. */
const LIMIT = 16 * 1024 * 1024;
const TOO_LARGE = /^request body is larger than 16777216 bytes/;

let dir: string;
let srv: TestServer;
let ingestKey: string;
let adminKey: string;
let cookie: string;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-api-edges-'));
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		const keys = await Promise.all(
			['ingest', 'admin'].map((scope) =>
				createApiKey(db, { scope: scope as 'ingest' | 'admin', name: `edges-${scope}`, createdBy: 'test' })
			)
		);
		[ingestKey, adminKey] = keys.map((k) => {
			if (!k.ok) throw new Error(k.error);
			return k.value.token;
		});
	} finally {
		await shutdownDb(dbPath);
	}
	srv = await startServer({ dir });
	const s = await signInOver(srv, 'admin', srv.adminPassword()!);
	if (!s.cookie) throw new Error(`sign-in failed: ${s.status}`);
	cookie = s.cookie;
}, 120_000);

afterAll(async () => {
	await srv?.stop();
	rmSync(dir, { recursive: true, force: true });
});

interface RawAnswer {
	status: number;
	headers: Record<string, string>;
	body: string;
}

/**
 * One request over a bare socket, so the test controls what is sent and when the answer is read.
 * `readAfterSending`: a naive client that reads nothing until its whole upload is written.
 */
function rawPost(
	path: string,
	headers: Record<string, string>,
	body: Buffer,
	opts: { readAfterSending: boolean }
): Promise<RawAnswer> {
	return new Promise((resolve, reject) => {
		const socket = connect(srv.port, '127.0.0.1');
		let got = Buffer.alloc(0);
		const timer = setTimeout(() => {
			socket.destroy();
			reject(
				new Error(
					`no complete answer within 20 s; got ${JSON.stringify(got.toString('latin1').slice(0, 300))}`
				)
			);
		}, 20_000);
		const finish = (f: () => void) => {
			clearTimeout(timer);
			socket.destroy();
			f();
		};
		socket.on('error', (e) =>
			finish(() =>
				reject(
					new Error(
						`${e.message} after ${got.length} answer bytes: ${JSON.stringify(got.toString('latin1').slice(0, 300))}`
					)
				)
			)
		);
		socket.on('data', (d: Buffer) => {
			got = Buffer.concat([got, d]);
			const end = got.indexOf('\r\n\r\n');
			if (end < 0) return;
			const [statusLine, ...lines] = got.subarray(0, end).toString('latin1').split('\r\n');
			const h = Object.fromEntries(
				lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()])
			);
			const rest = got.subarray(end + 4).toString('utf8');
			let body: string;
			if (h['content-length'] !== undefined) {
				if (Buffer.byteLength(rest) < Number(h['content-length'])) return;
				body = rest;
			} else {
				// Chunked: small answers come as one chunk, then the last (empty) one.
				if (!rest.endsWith('\r\n0\r\n\r\n')) return;
				body = rest.slice(rest.indexOf('\r\n') + 2, rest.length - '\r\n0\r\n\r\n'.length);
			}
			finish(() => resolve({ status: Number(statusLine.split(' ')[1]), headers: h, body }));
		});
		socket.on('connect', () => {
			if (opts.readAfterSending) socket.pause();
			const head = Object.entries({ host: `127.0.0.1:${srv.port}`, ...headers })
				.map(([k, v]) => `${k}: ${v}\r\n`)
				.join('');
			socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n`);
			socket.write(body, () => {
				if (opts.readAfterSending) socket.resume();
			});
		});
	});
}

const keyHeaders = (key: string, type: string, length: number) => ({
	authorization: `Bearer ${key}`,
	'content-type': type,
	'content-length': String(length)
});

describe('oversized bodies get their 413 JSON answer, not a reset connection', { timeout: 60_000 }, () => {
	// 16.8 MB: just past the default limit, as in the QA report.
	const big = Buffer.alloc(16_800_000, 0x20);

	it('a declared 16.8 MB body, sent whole with fetch', async () => {
		const r = await fetch(`${srv.url}/api/v1/events`, {
			method: 'POST',
			headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
			body: big
		});
		expect(r.status).toBe(413);
		expect(r.headers.get('content-type')).toContain('application/json');
		expect((await r.json()) as unknown).toEqual({ error: expect.stringMatching(TOO_LARGE) });
	});

	it('a declared 16.8 MB body from a client that reads only after sending all of it', async () => {
		const a = await rawPost('/api/v1/events', keyHeaders(ingestKey, 'application/json', big.length), big, {
			readAfterSending: true
		});
		expect(a.status).toBe(413);
		expect(JSON.parse(a.body)).toEqual({ error: expect.stringMatching(TOO_LARGE) });
	});

	it('a declared 1 GB body is answered at once, after only a little was sent', async () => {
		const started = Date.now();
		const a = await rawPost(
			'/api/v1/events',
			keyHeaders(ingestKey, 'application/x-ndjson', 1024 ** 3),
			Buffer.alloc(64 * 1024, 0x20),
			{ readAfterSending: false }
		);
		expect(a.status).toBe(413);
		expect(JSON.parse(a.body)).toEqual({ error: expect.stringMatching(TOO_LARGE) });
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	it('a chunked body past the limit still gets 413, and the server keeps serving', async () => {
		const chunk = new Uint8Array(1024 * 1024).fill(0x20);
		let sent = 0;
		const stream = new ReadableStream<Uint8Array>({
			pull(c) {
				if (sent > LIMIT + 2 * chunk.length) return c.close();
				sent += chunk.length;
				c.enqueue(chunk);
			}
		});
		const r = await fetch(`${srv.url}/api/v1/events`, {
			method: 'POST',
			headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/x-ndjson' },
			body: stream,
			duplex: 'half'
		} as RequestInit);
		expect(r.status).toBe(413);
		expect((await r.json()) as unknown).toEqual({ error: expect.stringMatching(TOO_LARGE) });
		const ok = await fetch(`${srv.url}/api/v1/events`, {
			method: 'POST',
			headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
			body: JSON.stringify([anEvent().build()])
		});
		expect(await ok.json()).toEqual({ accepted: 1, duplicates: 0 });
	});
});

describe('API-key clients are not subject to the browser CSRF check', () => {
	const events = () => JSON.stringify([anEvent().build()]);

	it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
		'POST /events as %s without Origin: 415 naming the accepted types',
		async (type) => {
			const r = await fetch(`${srv.url}/api/v1/events`, {
				method: 'POST',
				headers: { authorization: `Bearer ${ingestKey}`, 'content-type': type },
				body: events()
			});
			expect(r.status).toBe(415);
			expect(r.headers.get('content-type')).toContain('application/json');
			const body = (await r.json()) as { error: string };
			expect(body.error).toMatch(
				/application\/json, application\/x-ndjson, application\/vnd\.apache\.arrow\.stream/
			);
		}
	);

	it('a JSON endpoint sent a form body with a key (curl -d): 415 JSON asking for application/json', async () => {
		const r = await fetch(`${srv.url}/api/v1/workitems/no-such-item/snooze`, {
			method: 'POST',
			headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/x-www-form-urlencoded' },
			body: '{"until":"2099-01-01T00:00:00Z"}'
		});
		expect(r.status).toBe(415);
		expect(((await r.json()) as { error: string }).error).toMatch(/application\/json/);
		const rules = await fetch(`${srv.url}/api/v1/alerts/rules`, {
			method: 'POST',
			headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'text/plain' },
			body: '{}'
		});
		expect(rules.status).toBe(415);
	});

	it('a JSON endpoint without a body needs no content type (curl -X POST)', async () => {
		const r = await fetch(`${srv.url}/api/v1/workitems/no-such-item/claim`, {
			method: 'POST',
			headers: { authorization: `Bearer ${adminKey}` }
		});
		expect(r.status).toBe(404);
	});
});

describe('cookie sessions keep full CSRF protection', () => {
	const evil = 'https://evil.example';

	it('a cross-site form POST with the session cookie is refused, on the API and on a page action', async () => {
		const api = await fetch(`${srv.url}/api/v1/alerts/rules`, {
			method: 'POST',
			headers: { cookie, origin: evil, 'content-type': 'application/x-www-form-urlencoded' },
			body: 'name=x'
		});
		expect(api.status).toBe(403);
		expect((await api.json()) as unknown).toEqual({
			error: 'Cross-site POST form submissions are forbidden'
		});
		const page = await fetch(`${srv.url}/settings?/addUser`, {
			method: 'POST',
			redirect: 'manual',
			headers: { cookie, origin: evil, 'content-type': 'application/x-www-form-urlencoded' },
			body: 'username=mallory&password=mallory-password-1&role=admin'
		});
		expect(page.status).toBe(403);
		expect(await page.text()).toBe('Cross-site POST form submissions are forbidden');
	});

	it('a form POST without any Origin is refused too (as SvelteKit did)', async () => {
		const r = await fetch(`${srv.url}/api/v1/events`, {
			method: 'POST',
			headers: { cookie, 'content-type': 'text/plain' },
			body: '[]'
		});
		expect(r.status).toBe(403);
	});

	it('a cross-origin JSON request with the session cookie is refused; the same origin is not', async () => {
		const body = JSON.stringify({ until: '2099-01-01T00:00:00Z' });
		const cross = await fetch(`${srv.url}/api/v1/workitems/no-such-item/snooze`, {
			method: 'POST',
			headers: { cookie, origin: evil, 'content-type': 'application/json' },
			body
		});
		expect(cross.status).toBe(403);
		expect(((await cross.json()) as { error: string }).error).toMatch(
			/^Cross-origin POST requests with cookies are forbidden/
		);
		const same = await fetch(`${srv.url}/api/v1/workitems/no-such-item/snooze`, {
			method: 'POST',
			headers: { cookie, origin: srv.url, 'content-type': 'application/json' },
			body
		});
		expect(same.status).toBe(404);
	});
});

describe('every /api error is JSON', () => {
	it('405 for a method the endpoint lacks, keeping Allow', async () => {
		const callers: Record<string, string>[] = [
			{ cookie, origin: srv.url },
			{ authorization: `Bearer ${adminKey}` }
		];
		for (const headers of callers) {
			const r = await fetch(`${srv.url}/api/v1/metrics`, { method: 'DELETE', headers });
			expect(r.status).toBe(405);
			expect(r.headers.get('content-type')).toContain('application/json');
			expect(r.headers.get('allow')).toMatch(/GET/);
			expect((await r.json()) as unknown).toEqual({ error: 'DELETE method not allowed' });
		}
	});
});

describe('Content-Encoding on POST /events', () => {
	const post = (body: Uint8Array | string, encoding: string) =>
		fetch(`${srv.url}/api/v1/events`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${ingestKey}`,
				'content-type': 'application/x-ndjson',
				'content-encoding': encoding
			},
			body: body as BodyInit
		});

	it('gzip is decompressed', async () => {
		const events = [anEvent().build(), anEvent().build()];
		const r = await post(gzipSync(toNdjson(events)), 'gzip');
		expect((await r.json()) as unknown).toEqual({ accepted: 2, duplicates: 0 });
	});

	it('a gzip body that expands past the limit: 413', async () => {
		const bomb = gzipSync(Buffer.alloc(LIMIT + 1, 0x20));
		expect(bomb.length).toBeLessThan(100_000);
		const r = await post(bomb, 'gzip');
		expect(r.status).toBe(413);
		expect((await r.json()) as unknown).toEqual({ error: expect.stringMatching(TOO_LARGE) });
	});

	it('corrupt gzip: 400 naming the body', async () => {
		const r = await post('[{"not":"gzip"}]', 'gzip');
		expect(r.status).toBe(400);
		expect((await r.json()) as unknown).toEqual({
			error: expect.stringMatching(/^body: is not valid gzip data/),
			errors: [{ index: -1, field: 'body', message: expect.stringMatching(/^is not valid gzip data/) }]
		});
	});

	it.each(['br', 'deflate', 'gzip, br'])('%s: 415 naming the encoding', async (encoding) => {
		const r = await post(toNdjson([anEvent().build()]), encoding);
		expect(r.status).toBe(415);
		expect(((await r.json()) as { error: string }).error).toContain(
			`Content-Encoding "${encoding}" is not supported`
		);
	});
});
