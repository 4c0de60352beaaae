// Proof under fire (auth): every route the app has refuses anonymous callers, each role reaches exactly what
// DESIGN §11 and route-policy.ts grant it, and no secret ends up in the server's output.
// Routes are discovered from src/routes, so a new unprotected route makes this file fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { ROOT, startServer, type TestServer } from '../helpers/server';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { createDisplayToken } from '../../src/lib/server/auth/display-tokens';
import type { Role } from '../../src/lib/shared/auth-types';
import { aUser } from '../fixtures/users';
import { anEvent } from '../fixtures/events';
import { get, postForm, signInOver } from './auth-http';

const ROUTES = join(ROOT, 'src', 'routes');
const SAMPLE_PARAM: Record<string, string> = { board: 'main' };
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

interface Endpoint {
	method: string;
	path: string;
	kind: 'page' | 'action' | 'api';
}

function walk(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));
}

function urlPath(routeDir: string): string {
	const segs = relative(ROUTES, routeDir)
		.split(sep)
		.filter((s) => s && !/^\(.*\)$/.test(s))
		.map((s) => s.replace(/^\[\.{0,3}(\w+)(=\w+)?\]$/, (_m, name: string) => SAMPLE_PARAM[name] ?? `sample-${name}`));
	return '/' + segs.join('/');
}

/** Every page (GET, plus POST when it has form actions) and every +server.ts method, read from the source tree. */
function discoverEndpoints(): Endpoint[] {
	const out: Endpoint[] = [];
	for (const file of walk(ROUTES)) {
		const name = file.split(sep).pop()!;
		const path = urlPath(join(file, '..'));
		if (name === '+page.svelte') out.push({ method: 'GET', path, kind: 'page' });
		if (name === '+page.server.ts' && /export const actions\b/.test(readFileSync(file, 'utf8'))) out.push({ method: 'POST', path, kind: 'action' });
		if (name === '+server.ts') {
			const src = readFileSync(file, 'utf8');
			for (const m of METHODS) {
				if (new RegExp(`export (const|(async )?function) ${m}\\b`).test(src)) out.push({ method: m, path, kind: 'api' });
			}
			if (/export (const|(async )?function) fallback\b/.test(src)) throw new Error(`${file}: a fallback handler needs its own entry here`);
		}
	}
	return out;
}

// GET /logout only asks "Sign out?" (anonymous: to /login); auth.test.ts checks it.
const PUBLIC = new Set(['GET /login', 'POST /login', 'GET /api/v1/health', 'POST /logout', 'GET /logout']);

type Who = Role | 'ingest-key' | 'display';
const WHO: readonly Who[] = ['admin', 'analyst', 'retention', 'executive', 'ingest-key', 'display'];

let server: TestServer;
let adminPassword: string;
const creds = {} as Record<Who, Record<string, string>>;
const secrets: string[] = [];

beforeAll(async () => {
	const dir = mkdtempSync(join(tmpdir(), 'cx-sec-routes-'));
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	let ingestToken: string;
	let displayToken: string;
	try {
		const k = await createApiKey(db, { scope: 'ingest', name: 'sec-ingest', createdBy: 'test' });
		if (!k.ok) throw new Error(k.error);
		ingestToken = k.value.token;
		const d = await createDisplayToken(db, { board: 'main', createdBy: 'test' });
		if (!d.ok) throw new Error(d.error);
		displayToken = d.value.token;
		secrets.push(ingestToken, displayToken);
	} finally {
		await shutdownDb(dbPath);
	}
	// No user exists yet: the server creates it and prints its password once.
	server = await startServer({ dir });
	adminPassword = server.adminPassword()!;
	expect(adminPassword).toBeTruthy();
	const cookieFor = async (username: string, password: string) => {
		const r = await signInOver(server, username, password);
		if (!r.cookie) throw new Error(`sign-in as ${username} failed: ${r.status}`);
		secrets.push(r.cookie.split('=')[1]);
		return { cookie: r.cookie };
	};
	creds.admin = await cookieFor('admin', adminPassword);
	// Role users are added the way an administrator does it: the Settings form.
	for (const role of ['analyst', 'retention', 'executive'] as const) {
		const u = aUser().withRole(role).build();
		const r = await postForm(server, '/settings?/addUser', u, creds.admin.cookie);
		expect(r.status).toBe(200);
		secrets.push(u.password);
		creds[role] = await cookieFor(u.username, u.password);
	}
	creds['ingest-key'] = { authorization: `Bearer ${ingestToken}` };
	creds.display = { authorization: `Bearer ${displayToken}` };
});

afterAll(async () => {
	await server?.stop();
});

async function call(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Response> {
	const ctrl = new AbortController();
	const r = await fetch(`${server.url}${path}`, {
		method,
		redirect: 'manual',
		signal: ctrl.signal,
		headers: { origin: server.url, ...headers },
		body
	});
	// The stream never ends: read the status and let go of the connection.
	if ((r.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
		ctrl.abort();
		return new Response(null, { status: r.status, headers: r.headers });
	}
	return r;
}

describe('route walk: anonymous is refused everywhere', () => {
	const endpoints = discoverEndpoints();

	it('finds the routes it must check', () => {
		// Guards against a walk that silently finds nothing (e.g. after moving src/routes).
		const keys = endpoints.map((e) => `${e.method} ${e.path}`);
		expect(keys).toContain('GET /settings');
		expect(keys).toContain('POST /api/v1/events');
		expect(keys).toContain('POST /api/v1/workitems/sample-id/claim');
		expect(keys).toContain('GET /wall/main');
		expect(endpoints.length).toBeGreaterThan(40);
	});

	it.each(endpoints.filter((e) => !PUBLIC.has(`${e.method} ${e.path}`)).map((e) => [`${e.method} ${e.path}`, e] as const))('%s', async (_k, e) => {
		const body = e.method === 'GET' || e.method === 'DELETE' ? undefined : e.kind === 'action' ? 'x=1' : '{}';
		const contentType = e.kind === 'action' ? 'application/x-www-form-urlencoded' : 'application/json';
		const r = await call(e.method, e.path, body ? { 'content-type': contentType, accept: e.kind === 'api' ? 'application/json' : 'text/html' } : { accept: e.kind === 'api' ? 'application/json' : 'text/html' }, body);
		const text = await r.text();
		if (e.kind === 'api') {
			expect(r.status).toBe(401);
			expect(r.headers.get('content-type')).toMatch(/application\/json/);
			expect(JSON.parse(text)).toEqual({ error: expect.stringMatching(/authentication required/) });
		} else if (e.path.startsWith('/wall/')) {
			// Kiosk screens get a "token invalid" screen, never a login form and never the tiles.
			expect(r.status).toBe(200);
			expect(text).toContain('data-testid="wall-denied"');
			expect(text).not.toMatch(/data-testid="tile/);
		} else {
			expect([302, 303]).toContain(r.status);
			expect(r.headers.get('location')).toMatch(/^\/login(\?next=|$)/);
		}
	});
});

/** 'ok' = reached the handler: not 401/403, no 5xx (404 for a made-up id is fine). */
type Expect = number | 'ok';
const A = (admin: Expect, analyst: Expect, retention: Expect, executive: Expect, ingest: Expect, display: Expect) =>
	({ admin, analyst, retention, executive, 'ingest-key': ingest, display }) as Record<Who, Expect>;

const eventsBody = () => JSON.stringify([anEvent().withCustomer('sec-matrix').build()]);

// From DESIGN §11 and PAGE_RULES: admin everything; analyst models and alert rules; retention work list and customers;
// executive read-only dashboards; ingest key POST /events only; display token walls + metrics/stream only.
const MATRIX: { method: string; path: string; body?: () => string; expect: Record<Who, Expect> }[] = [
	{ method: 'GET', path: '/', expect: A(200, 200, 200, 200, 403, 403) },
	{ method: 'GET', path: '/settings', expect: A(200, 403, 403, 403, 403, 403) },
	{ method: 'GET', path: '/models', expect: A(200, 200, 403, 403, 403, 403) },
	{ method: 'GET', path: '/alerts', expect: A(200, 200, 200, 403, 403, 403) },
	{ method: 'GET', path: '/customers', expect: A(200, 200, 200, 403, 403, 403) },
	// Work items carry customer names, values, churn probabilities and notes: no more for executives than /customers.
	{ method: 'GET', path: '/api/v1/workitems', expect: A(200, 200, 200, 403, 403, 403) },
	{ method: 'GET', path: '/api/v1/workitems/no-such-item', expect: A(404, 404, 404, 403, 403, 403) },
	{ method: 'GET', path: '/api/v1/customers', expect: A(200, 200, 200, 403, 403, 403) },
	{ method: 'GET', path: '/api/v1/metrics', expect: A(200, 200, 200, 200, 403, 200) },
	{ method: 'GET', path: '/api/v1/stream', expect: A(200, 200, 200, 200, 403, 200) },
	{ method: 'GET', path: '/api/v1/models', expect: A(200, 200, 403, 403, 403, 403) },
	{ method: 'PUT', path: '/api/v1/alerts/tolerance', body: () => '{}', expect: A('ok', 403, 403, 403, 403, 403) },
	{ method: 'DELETE', path: '/api/v1/alerts/tolerance/no-such-segment', expect: A(404, 403, 403, 403, 403, 403) },
	// Alert configuration (rules, silences, webhook destinations with their secret URLs, deliveries,
	// tolerance) is for analysts and admins only: README's role table gives retention and executive none.
	{ method: 'GET', path: '/api/v1/alerts/rules', expect: A(200, 200, 403, 403, 403, 403) },
	{ method: 'GET', path: '/api/v1/alerts/rules/csat-low', expect: A(200, 200, 403, 403, 403, 403) },
	{ method: 'GET', path: '/api/v1/alerts/rules/export', expect: A(200, 200, 403, 403, 403, 403) },
	{ method: 'POST', path: '/api/v1/alerts/rules/preview', body: () => '{"definition":{"kind":"metric","metric":"csat","comparator":"<","threshold":1}}', expect: A(200, 200, 403, 403, 403, 403) },
	{ method: 'POST', path: '/api/v1/alerts/rules', body: () => '{}', expect: A(422, 422, 403, 403, 403, 403) },
	{ method: 'GET', path: '/api/v1/alerts/silences', expect: A(200, 200, 403, 403, 403, 403) },
	{ method: 'POST', path: '/api/v1/alerts/silences', body: () => '{"matcher":{"rule_id":"csat-low"},"ends_at":"2099-01-01"}', expect: A(201, 201, 403, 403, 403, 403) },
	{ method: 'DELETE', path: '/api/v1/alerts/silences/no-such-silence', expect: A(404, 404, 403, 403, 403, 403) },
	{ method: 'GET', path: '/api/v1/alerts/destinations', expect: A(200, 200, 403, 403, 403, 403) },
	{ method: 'PATCH', path: '/api/v1/alerts/destinations/no-such-destination', body: () => '{"enabled":false}', expect: A(404, 404, 403, 403, 403, 403) },
	{ method: 'GET', path: '/api/v1/alerts/deliveries', expect: A(200, 200, 403, 403, 403, 403) },
	{ method: 'GET', path: '/api/v1/alerts/tolerance', expect: A(200, 200, 403, 403, 403, 403) },
	{ method: 'POST', path: '/api/v1/events', body: eventsBody, expect: A(200, 403, 403, 403, 200, 403) },
	{ method: 'POST', path: '/api/v1/workitems/no-such-item/claim', body: () => '{}', expect: A('ok', 403, 'ok', 403, 403, 403) },
	{ method: 'POST', path: '/api/v1/workitems/no-such-item/notes', body: () => '{"note":"called"}', expect: A(404, 403, 404, 403, 403, 403) },
	{ method: 'POST', path: '/api/v1/workitems/no-such-item/release', body: () => '{}', expect: A(404, 403, 404, 403, 403, 403) },
	{ method: 'POST', path: '/api/v1/workitems/no-such-item/assign', body: () => '{"assignee":"admin"}', expect: A(404, 403, 404, 403, 403, 403) },
	{ method: 'POST', path: '/api/v1/models/no-such-version/promote', body: () => '{}', expect: A('ok', 'ok', 403, 403, 403, 403) },
	// Wall boards decide what display tokens show: administrators only, like display tokens themselves.
	// Display settings belong to users: every signed-in role has its own; keys and display tokens have none.
	{ method: 'GET', path: '/api/v1/me/settings', expect: A(200, 200, 200, 200, 403, 403) },
	{ method: 'PUT', path: '/api/v1/me/settings', body: () => '{"time_zone":"Mars/Olympus_Mons"}', expect: A(422, 422, 422, 422, 403, 403) },
	{ method: 'GET', path: '/api/v1/walls/boards', expect: A(200, 403, 403, 403, 403, 403) },
	{ method: 'POST', path: '/api/v1/walls/boards', body: () => '{}', expect: A(422, 403, 403, 403, 403, 403) },
	{ method: 'PATCH', path: '/api/v1/walls/boards/main', body: () => '{"title":"x"}', expect: A(409, 403, 403, 403, 403, 403) },
	{ method: 'DELETE', path: '/api/v1/walls/boards/no-such-board', expect: A(404, 403, 403, 403, 403, 403) }
];

describe('role × route matrix', () => {
	it.each(MATRIX.flatMap((row) => WHO.map((who) => [`${row.method} ${row.path} as ${who}`, row, who] as const)))('%s', async (_k, row, who) => {
		const r = await call(row.method, row.path, { accept: row.path.startsWith('/api') ? 'application/json' : 'text/html', 'content-type': 'application/json', ...creds[who] }, row.body?.());
		const want = row.expect[who];
		if (want === 'ok') {
			expect(r.status).not.toBe(401);
			expect(r.status).not.toBe(403);
			expect(r.status).toBeLessThan(500);
		} else expect(r.status).toBe(want);
		if (r.status === 403 && row.path.startsWith('/api')) expect(await r.json()).toEqual({ error: expect.any(String) });
		else await r.body?.cancel();
	});
});

describe('path encoding cannot dodge the policy', () => {
	// SvelteKit matches routes on the percent-decoded path: /%61lerts renders the /alerts page.
	it.each([
		['/%61lerts', 'executive', 403],
		['/%6Dodels', 'executive', 403],
		['/%73ettings', 'analyst', 403],
		['/%6Dodels', 'retention', 403],
		['/%63ustomers', 'executive', 403],
		['/%73ettings', 'admin', 200]
	] as const)('%s as %s → %i', async (path, who, want) => {
		const r = await call('GET', path, { accept: 'text/html', ...creds[who] });
		await r.body?.cancel();
		expect(r.status).toBe(want);
	});

	it('anonymous encoded paths still go to sign-in or 401', async () => {
		const page = await call('GET', '/%73ettings', { accept: 'text/html' });
		expect(page.status).toBe(303);
		const api = await call('GET', '/api/v1/%6Detrics', { accept: 'application/json' });
		expect(api.status).toBe(401);
	});
});

describe('secrets never logged', () => {
	/** Runs a Settings form action the way the enhanced form does and returns the secret it shows once. */
	async function settingsSecret(action: string, fields: Record<string, string>): Promise<string> {
		const r = await fetch(`${server.url}/settings?/${action}`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'x-sveltekit-action': 'true', origin: server.url, cookie: creds.admin.cookie },
			body: new URLSearchParams(fields).toString()
		});
		const res = (await r.json()) as { type: string; data: string };
		expect(res.type, JSON.stringify(res)).toBe('success');
		// devalue's flat array: resolve data.secret.value by index.
		const arr = JSON.parse(res.data) as unknown[];
		const top = arr[0] as Record<string, number>;
		const secret = arr[top.secret] as Record<string, number>;
		return arr[secret.value] as string;
	}

	it('keeps passwords, keys, display tokens and session tokens out of the output, except the first-start admin line', async () => {
		const typed = 'typed-password-for-bob-123';
		expect((await postForm(server, '/settings?/addUser', { username: 'bob', role: 'analyst', password: typed }, creds.admin.cookie)).status).toBe(200);
		secrets.push(typed);
		const generated = await settingsSecret('addUser', { username: 'carol', role: 'retention', password: '' });
		const key = await settingsSecret('createKey', { scope: 'analyst', name: 'sec-key' });
		const wallUrl = await settingsSecret('createDisplayToken', { board: 'main', name: 'sec-wall' });
		const wallToken = new URL(wallUrl).searchParams.get('token')!;
		expect(wallToken).toBeTruthy();
		secrets.push(generated, key, wallToken);
		const bob = await signInOver(server, 'bob', typed);
		expect(bob.cookie).toBeTruthy();
		secrets.push(bob.cookie!.split('=')[1]);
		const wrong = 'wrong-password-never-logged-42';
		expect((await signInOver(server, 'bob', wrong)).status).toBe(400);
		secrets.push(wrong);
		expect((await get(server, '/api/v1/me', { authorization: `Bearer ${key}` })).status).toBe(200);
		// Form POSTs that fail must not echo secrets to the log either.
		await postForm(server, '/settings?/addUser', { username: 'bad name!', role: 'nope', password: 'short' }, creds.admin.cookie);

		const out = server.output();
		expect(out.split(adminPassword).length - 1).toBe(1);
		for (const s of secrets) {
			expect(out).not.toContain(s);
			// Tokens are id.secret: the secret half alone must not appear either.
			const half = s.split('.')[1];
			if (half) expect(out).not.toContain(half);
		}
	});
});
