// Authentication and authorization against the real built server (node build/index.js).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from '../helpers/server';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { createDisplayToken } from '../../src/lib/server/auth/display-tokens';
import { aUser } from '../fixtures/users';
import { get, postForm, signInOver } from './auth-http';

const MAX_ATTEMPTS = 3;

let server: TestServer;
let adminCookie: string;
const keys: Record<'ingest' | 'analyst' | 'revoked', { id: string; token: string }> = {} as never;
let display: string;

beforeAll(async () => {
	const dir = mkdtempSync(join(tmpdir(), 'cx-auth-'));
	const dbPath = join(dir, 'cx.duckdb');
	// Keys and a display token exist before start; users do not, so the server must create `admin`.
	const db = await getDb(dbPath);
	try {
		for (const scope of ['ingest', 'analyst', 'revoked'] as const) {
			const k = await createApiKey(db, { scope: scope === 'revoked' ? 'admin' : scope, name: scope, createdBy: 'test' });
			if (!k.ok) throw new Error(k.error);
			keys[scope] = { id: k.value.key.id, token: k.value.token };
		}
		const d = await createDisplayToken(db, { board: 'main', createdBy: 'test' });
		if (!d.ok) throw new Error(d.error);
		display = d.value.token;
	} finally {
		await shutdownDb(dbPath);
	}
	server = await startServer({ dir, env: { CX_LOGIN_MAX_ATTEMPTS: String(MAX_ATTEMPTS), CX_LOGIN_WINDOW_SECONDS: '600' } });
});

afterAll(async () => {
	await server?.stop();
});

describe('first start', () => {
	it('prints the admin password once, and it signs in', async () => {
		const pw = server.adminPassword();
		expect(pw).toMatch(/^[a-z2-7]{32}$/);
		expect(server.output().split(pw!).length - 1).toBe(1);
		const r = await signInOver(server, 'admin', pw!);
		expect(r.status).toBe(303);
		expect(r.location).toBe('/');
		expect(r.cookie).not.toBeNull();
		adminCookie = r.cookie!;
		const home = await get(server, '/', { cookie: adminCookie });
		expect(home.status).toBe(200);
		const html = await home.text();
		expect(html).toContain('cx-command');
		expect(html).toContain('Sign out');
		expect(html).toMatch(/data-testid="signed-in-user"[^>]*>.*admin/s);
	});

	it('sets the session cookie HttpOnly, SameSite=Lax, Path=/ and not Secure over http', async () => {
		const r = await signInOver(server, 'admin', server.adminPassword()!);
		const c = r.setCookie!;
		expect(c).toMatch(/^cx_session=[a-z2-7]+\.[a-z2-7]+;/);
		expect(c).toMatch(/; HttpOnly/i);
		expect(c).toMatch(/; SameSite=Lax/i);
		expect(c).toMatch(/; Path=\//i);
		expect(c).not.toMatch(/; Secure/i);
	});

	it('never prints a session secret', async () => {
		expect(server.output()).not.toContain(adminCookie.split('=')[1]);
	});
});

describe('sign-in failures', () => {
	it('answers a wrong password and an unknown user with the same message', async () => {
		const wrong = await signInOver(server, 'admin', 'not-the-password');
		const unknown = await signInOver(server, 'nobody-here', 'not-the-password');
		for (const r of [wrong, unknown]) {
			expect(r.status).toBe(400);
			expect(r.cookie).toBeNull();
			expect(r.body).toContain('wrong username or password');
		}
	});

	it('rate-limits failed sign-ins per user and address with 429 and Retry-After', async () => {
		const password = 'whatever-password';
		for (let i = 0; i < MAX_ATTEMPTS; i++) expect((await signInOver(server, 'limited-user', password)).status).toBe(400);
		const r = await signInOver(server, 'limited-user', password);
		expect(r.status).toBe(429);
		const after = Number(r.retryAfter);
		expect(after).toBeGreaterThan(500);
		expect(after).toBeLessThanOrEqual(600);
		expect(r.body).toMatch(/try again in \d+ minutes/);
		// Another user from the same address is not affected.
		expect((await signInOver(server, 'admin', server.adminPassword()!)).status).toBe(303);
	});

	it('keeps SvelteKit CSRF protection: a cross-site form post is refused', async () => {
		const r = await postForm(server, '/login', { username: 'admin', password: server.adminPassword()! }, undefined, 'https://evil.example');
		expect(r.status).toBe(403);
		expect(r.headers.get('set-cookie')).toBeNull();
	});

	it('only follows local next= paths', async () => {
		const ok = await postForm(server, '/login?next=%2Fsettings', { username: 'admin', password: server.adminPassword()! });
		expect(ok.headers.get('location')).toBe('/settings');
		const evil = await postForm(server, '/login?next=https%3A%2F%2Fevil.example', { username: 'admin', password: server.adminPassword()! });
		expect(evil.headers.get('location')).toBe('/');
	});
});

describe('anonymous requests', () => {
	it.each(['/', '/alerts', '/settings', '/customers', '/models'])('%s redirects to the sign-in page with next', async (path) => {
		const r = await get(server, path);
		expect(r.status).toBe(303);
		expect(r.headers.get('location')).toBe(path === '/' ? '/login' : `/login?next=${encodeURIComponent(path)}`);
	});

	it.each(['/api/v1/me', '/api/v1/metrics', '/api/v1/customers', '/api/v1/workitems'])('%s answers 401 JSON', async (path) => {
		const r = await get(server, path);
		expect(r.status).toBe(401);
		expect(r.headers.get('content-type')).toContain('application/json');
		expect(await r.json()).toEqual({ error: expect.stringContaining('authentication required') });
	});

	it('health and the sign-in page stay open', async () => {
		expect((await get(server, '/api/v1/health')).status).toBe(200);
		expect((await get(server, '/login')).status).toBe(200);
	});
});

describe('sessions end', () => {
	it('a signed-out (revoked) session no longer works', async () => {
		const s = await signInOver(server, 'admin', server.adminPassword()!);
		expect((await get(server, '/api/v1/me', { cookie: s.cookie! })).status).toBe(200);
		const out = await postForm(server, '/logout', {}, s.cookie!);
		expect(out.status).toBe(303);
		expect(out.headers.get('location')).toBe('/login');
		expect(out.headers.get('set-cookie')).toMatch(/cx_session=;/);
		const after = await get(server, '/api/v1/me', { cookie: s.cookie! });
		expect(after.status).toBe(401);
		expect(await after.json()).toEqual({ error: 'your session has ended; sign in again' });
		// The stale cookie sent again: the login page is told the session ended, so it can say why.
		expect((await get(server, '/', { cookie: s.cookie! })).headers.get('location')).toBe('/login?ended=1');
		expect((await get(server, '/alerts?reason=churn', { cookie: s.cookie! })).headers.get('location')).toBe(
			'/login?next=%2Falerts%3Freason%3Dchurn&ended=1'
		);
	});

	it('GET /logout (typed in the address bar) asks "Sign out?" and signs nobody out', async () => {
		const s = await signInOver(server, 'admin', server.adminPassword()!);
		const page = await get(server, '/logout', { cookie: s.cookie!, accept: 'text/html' });
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('Sign out?');
		expect(html).toMatch(/<form method="POST"[^>]*>/);
		expect(page.headers.get('set-cookie')).toBeNull();
		expect((await get(server, '/api/v1/me', { cookie: s.cookie! })).status).toBe(200);
		// Anonymous: nothing to sign out of.
		const anon = await get(server, '/logout', { accept: 'text/html' });
		expect([anon.status, anon.headers.get('location')]).toEqual([303, '/login']);
		// Another site's form cannot sign anyone out (the origin check every form post gets).
		expect((await postForm(server, '/logout', {}, s.cookie!, 'https://evil.example')).status).toBe(403);
		expect((await get(server, '/api/v1/me', { cookie: s.cookie! })).status).toBe(200);
		expect((await postForm(server, '/logout', {}, s.cookie!)).status).toBe(303);
		expect((await get(server, '/api/v1/me', { cookie: s.cookie! })).status).toBe(401);
	});
});

describe('roles', () => {
	const exec = aUser().withName('erin').withRole('executive').build();
	const analyst = aUser().withName('andy').withRole('analyst').build();
	let execCookie: string;
	let analystCookie: string;

	beforeAll(async () => {
		for (const u of [exec, analyst]) {
			const r = await postForm(server, '/settings?/addUser', u, adminCookie);
			expect(r.status).toBe(200);
			expect(await r.text()).toContain(`Added ${u.username}`);
		}
		execCookie = (await signInOver(server, exec.username, exec.password)).cookie!;
		analystCookie = (await signInOver(server, analyst.username, analyst.password)).cookie!;
	});

	it('lists the new users under recent access changes, with who added them', async () => {
		const html = await (await get(server, '/settings', { cookie: adminCookie })).text();
		const rows = [...html.matchAll(/<tr>((?:(?!<\/tr>).)*)<\/tr>/gs)].map((m) => m[1].replace(/<[^>]*>/g, '|').replace(/\|+/g, '|'));
		expect(rows.some((r) => r.includes('|admin|user.create|erin|'))).toBe(true);
	});

	it('tells the browser not to keep signed-in pages (Back after sign-out must not show them)', async () => {
		for (const path of ['/settings', '/customers', '/']) {
			const r = await get(server, path, { cookie: adminCookie });
			expect([path, r.status, r.headers.get('cache-control')]).toEqual([path, 200, 'private, no-store']);
		}
		// The sign-in page itself may be cached as before.
		expect((await get(server, '/login')).headers.get('cache-control')).not.toBe('private, no-store');
	});

	it('shows each role only its navigation', async () => {
		const html = await (await get(server, '/models', { cookie: analystCookie })).text();
		expect(html).toContain('href="/models"');
		expect(html).toContain('href="/customers"');
		expect(html).toContain('href="/alerts"');
		expect(html).not.toContain('href="/settings"');
	});

	it('an executive gets a 403 page on settings, alerts and customers, but sees the overview', async () => {
		for (const path of ['/settings', '/alerts', '/customers']) {
			const r = await get(server, path, { cookie: execCookie });
			expect(r.status, path).toBe(403);
			expect(await r.text()).toContain(path === '/settings' ? 'Settings are for administrators only.' : 'may not open');
		}
		expect((await get(server, '/', { cookie: execCookie })).status).toBe(200);
	});

	it('an executive cannot use the settings actions either', async () => {
		const r = await postForm(server, '/settings?/addUser', { username: 'mallory', role: 'admin', password: 'mallory-password' }, execCookie);
		expect(r.status).toBe(403);
		const list = await (await get(server, '/settings', { cookie: adminCookie })).text();
		expect(list).not.toContain('mallory');
	});

	it('an API the role may not use answers 403 JSON', async () => {
		const r = await get(server, '/api/v1/customers', { cookie: execCookie });
		expect(r.status).toBe(403);
		expect(await r.json()).toEqual({ error: 'your role (executive) may not do this' });
		expect((await get(server, '/api/v1/customers', { cookie: analystCookie })).status).toBe(200);
		const typo = await get(server, '/api/v1/customers?dir=asc', { cookie: analystCookie });
		expect(typo.status).toBe(400);
		expect(await typo.json()).toEqual({ error: 'unknown parameter dir; use q, segment, status, risk, sort, limit, offset' });
	});
});

describe('API keys', () => {
	it('a missing or mistyped key is 401', async () => {
		expect((await get(server, '/api/v1/customers')).status).toBe(401);
		// Changes the last character for sure (a fixed suffix like 'zz' equals the random one once in 1,024 runs).
		const token = keys.analyst.token;
		const mistyped = token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a');
		const bad = await get(server, '/api/v1/customers', { authorization: `Bearer ${mistyped}` });
		expect(bad.status).toBe(401);
		expect(await bad.json()).toEqual({ error: expect.stringContaining('not a valid API key') });
		expect((await get(server, '/api/v1/customers', { authorization: 'Basic YTpi' })).status).toBe(401);
	});

	it('a key with the wrong scope is 403; the right scope passes', async () => {
		const r = await get(server, '/api/v1/customers', { authorization: `Bearer ${keys.ingest.token}` });
		expect(r.status).toBe(403);
		expect(await r.json()).toEqual({ error: "this API key's scope (ingest) does not allow this" });
		expect((await get(server, '/api/v1/customers', { authorization: `Bearer ${keys.analyst.token}` })).status).toBe(200);
		const me = await get(server, '/api/v1/me', { authorization: `Bearer ${keys.ingest.token}` });
		expect(await me.json()).toEqual({ kind: 'api-key', keyId: keys.ingest.id, name: 'ingest', scope: 'ingest' });
	});

	it('a key opens no pages', async () => {
		expect((await get(server, '/', { authorization: `Bearer ${keys.revoked.token}` })).status).toBe(403);
	});

	it('a key revoked in Settings stops working at once', async () => {
		expect((await get(server, '/api/v1/me', { authorization: `Bearer ${keys.revoked.token}` })).status).toBe(200);
		const r = await postForm(server, '/settings?/revokeKey', { id: keys.revoked.id }, adminCookie);
		expect(r.status).toBe(200);
		expect((await get(server, '/api/v1/me', { authorization: `Bearer ${keys.revoked.token}` })).status).toBe(401);
	});

	it('a key created in Settings is shown once and works', async () => {
		const r = await postForm(server, '/settings?/createKey', { scope: 'executive', name: 'board-report' }, adminCookie);
		const html = await r.text();
		const token = /data-testid="secret-value"[^>]*>([a-z2-7]+\.[a-z2-7]+)</.exec(html)?.[1];
		expect(token).toBeDefined();
		const me = await get(server, '/api/v1/me', { authorization: `Bearer ${token}` });
		expect(await me.json()).toMatchObject({ kind: 'api-key', name: 'board-report', scope: 'executive' });
		const again = await (await get(server, '/settings', { cookie: adminCookie })).text();
		expect(again).toContain('board-report');
		expect(again).not.toContain(token!);
	});

	it('Settings refuses an active key\'s name and a name over 100 characters at the Name field (422), storing nothing', async () => {
		const before = await (await get(server, '/settings', { cookie: adminCookie })).text();
		const count = (html: string) => html.split('Revoke <span class="sr-only">').length;
		const twice = await postForm(server, '/settings?/createKey', { scope: 'ingest', name: 'Board-Report' }, adminCookie);
		expect(twice.status).toBe(422);
		const html = await twice.text();
		expect(html).toMatch(/id="createKey-name-error"[^>]*>Name "board-report" is already used by an active API key/);
		expect(html).toMatch(/aria-describedby="createKey-name-error"/);
		const long = await postForm(server, '/settings?/createKey', { scope: 'ingest', name: 'k'.repeat(1000) }, adminCookie);
		expect(long.status).toBe(422);
		expect(await long.text()).toContain('Name is 1,000 characters long; at most 100 are allowed');
		expect(count(await (await get(server, '/settings', { cookie: adminCookie })).text())).toBe(count(before));
	});

	it('Settings refuses a taken username at the Username field (422)', async () => {
		const r = await postForm(server, '/settings?/addUser', { username: 'admin', role: 'analyst', password: '' }, adminCookie);
		expect(r.status).toBe(422);
		expect(await r.text()).toMatch(/id="addUser-username-error"[^>]*>A user called &quot;admin&quot; already exists|id="addUser-username-error"[^>]*>A user called "admin" already exists/);
	});
});

describe('display tokens', () => {
	const bearer = () => ({ authorization: `Bearer ${display}` });

	it('open their wall (as ?token=) and GET metrics (as Bearer)', async () => {
		expect((await get(server, `/wall/main?token=${display}`)).status).toBe(200);
		expect((await get(server, '/api/v1/metrics', bearer())).status).toBe(200);
	});

	it('are refused on other APIs with 403', async () => {
		for (const path of ['/api/v1/customers', '/api/v1/me', '/api/v1/workitems']) {
			const r = await get(server, path, bearer());
			expect(r.status, path).toBe(403);
			expect(await r.json()).toEqual({ error: 'a display token opens wall displays only' });
		}
		const post = await fetch(`${server.url}/api/v1/events`, { method: 'POST', headers: { ...bearer(), 'content-type': 'application/json' }, body: '[]' });
		expect(post.status).toBe(403);
	});

	it('are refused on app pages', async () => {
		expect((await get(server, '/', bearer())).status).toBe(403);
		expect((await get(server, '/settings', bearer())).status).toBe(403);
		// In the query string a token counts only on wall pages: elsewhere the request is anonymous.
		expect((await get(server, `/alerts?token=${display}`)).headers.get('location')).toMatch(/^\/login\?next=/);
		expect((await get(server, `/api/v1/customers?token=${display}`)).status).toBe(401);
	});
});

describe('expired session', () => {
	it('is refused after its lifetime, across a restart', async () => {
		const own = await startServer();
		const dir = own.dir;
		let cookie: string;
		try {
			cookie = (await signInOver(own, 'admin', own.adminPassword()!)).cookie!;
			expect((await get(own, '/api/v1/me', { cookie })).status).toBe(200);
		} finally {
			await own.stop({ keepDir: true });
		}
		const db = await getDb(own.dbPath);
		try {
			await db.write((conn) => conn.run(`UPDATE sessions SET expires_at = epoch_ms($1::BIGINT)`, [Date.now() - 1000]));
		} finally {
			await shutdownDb(own.dbPath);
		}
		const again = await startServer({ dir });
		try {
			const r = await get(again, '/', { cookie });
			expect(r.status).toBe(303);
			expect(r.headers.get('location')).toBe('/login?ended=1');
			expect((await get(again, '/api/v1/me', { cookie })).status).toBe(401);
		} finally {
			await again.stop();
		}
	});
});

describe('https', () => {
	it('marks the session cookie Secure when the app is served over https', async () => {
		const origin = 'https://cx.example.test';
		const s = await startServer({ env: { ORIGIN: origin } });
		try {
			const r = await signInOver(s, 'admin', s.adminPassword()!, origin);
			expect(r.status).toBe(303);
			expect(r.setCookie).toMatch(/; Secure/i);
			expect(r.setCookie).toMatch(/; HttpOnly/i);
		} finally {
			await s.stop();
		}
	});
});
