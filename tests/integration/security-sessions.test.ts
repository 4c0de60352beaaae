// Session fixation and revocation against the real built server: a cookie planted before sign-in is
// never adopted, and an admin's change to a user (disable, password reset, demotion) takes effect on
// that user's open sessions at the next request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from '../helpers/server';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { createUser } from '../../src/lib/server/auth/users';
import { get, postForm, signInOver } from './auth-http';

const PASSWORD = 'a-long-test-password-1';
const NAMES = ['root', 'mallory', 'victim', 'dora', 'pete', 'adam'] as const;
type Name = (typeof NAMES)[number];

let server: TestServer;
const ids = {} as Record<Name, string>;

beforeAll(async () => {
	const dir = mkdtempSync(join(tmpdir(), 'cx-sess-'));
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		for (const name of NAMES) {
			const role = name === 'root' || name === 'adam' ? 'admin' : 'analyst';
			const u = await createUser(db, { username: name, role, password: PASSWORD });
			if (!u.ok) throw new Error(u.error);
			ids[name] = u.value.user.id;
		}
	} finally {
		await shutdownDb(dbPath);
	}
	server = await startServer({ dir });
});

afterAll(async () => {
	await server?.stop();
});

/** Signs in with a cookie already in the browser, the way a fixation attack sets it up. */
async function signInWithPlanted(username: string, planted: string): Promise<string> {
	const r = await postForm(server, '/login', { username, password: PASSWORD }, planted);
	expect(r.status).toBe(303);
	const m = /cx_session=([^;]+)/.exec(r.headers.get('set-cookie') ?? '');
	expect(m, 'sign-in must set a fresh session cookie').not.toBeNull();
	return `cx_session=${m![1]}`;
}

async function whoAmI(cookie: string): Promise<{ status: number; username?: string; role?: string }> {
	const r = await get(server, '/api/v1/me', { cookie, accept: 'application/json' });
	if (r.status !== 200) {
		await r.body?.cancel();
		return { status: r.status };
	}
	const body = (await r.json()) as { username?: string; role?: string; user?: { username: string; role: string } };
	const u = body.user ?? body;
	return { status: 200, username: u.username, role: u.role };
}

async function adminAction(action: string, fields: Record<string, string>): Promise<number> {
	const root = await signInOver(server, 'root', PASSWORD);
	const r = await fetch(`${server.url}/settings?/${action}`, {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'application/json',
			'x-sveltekit-action': 'true',
			origin: server.url,
			cookie: root.cookie!
		},
		body: new URLSearchParams(fields).toString()
	});
	const body = (await r.json()) as { type: string };
	expect(body.type, `settings action ${action}`).toBe('success');
	return r.status;
}

describe('session fixation', () => {
	it('an attacker-chosen cookie value is replaced at sign-in and never becomes a session', async () => {
		const planted = 'cx_session=attackerchosenid.attackerchosensecret';
		const fresh = await signInWithPlanted('victim', planted);
		expect(fresh).not.toBe(planted);
		expect(await whoAmI(fresh)).toMatchObject({ status: 200, username: 'victim' });
		expect((await whoAmI(planted)).status).toBe(401);
	});

	it("signing in over the attacker's own valid session gives the victim a new one and leaves the attacker as himself", async () => {
		const attacker = await signInOver(server, 'mallory', PASSWORD);
		expect(attacker.cookie).not.toBeNull();
		const victim = await signInWithPlanted('victim', attacker.cookie!);
		expect(victim).not.toBe(attacker.cookie);
		expect(await whoAmI(victim)).toMatchObject({ status: 200, username: 'victim' });
		expect(await whoAmI(attacker.cookie!)).toMatchObject({ status: 200, username: 'mallory' });
	});

	it('two sign-ins of the same user get different tokens', async () => {
		const a = await signInOver(server, 'victim', PASSWORD);
		const b = await signInOver(server, 'victim', PASSWORD);
		expect(a.cookie).not.toBe(b.cookie);
	});
});

describe('revocation by an admin', () => {
	it('disabling a user ends their open sessions at once', async () => {
		const s = await signInOver(server, 'dora', PASSWORD);
		expect((await whoAmI(s.cookie!)).status).toBe(200);
		await adminAction('setDisabled', { id: ids.dora, disabled: 'true' });
		expect((await whoAmI(s.cookie!)).status).toBe(401);
		expect((await signInOver(server, 'dora', PASSWORD)).cookie).toBeNull();
	});

	it('a password reset ends the open sessions; the old password no longer signs in', async () => {
		const s = await signInOver(server, 'pete', PASSWORD);
		await adminAction('resetPassword', { id: ids.pete });
		expect((await whoAmI(s.cookie!)).status).toBe(401);
		expect((await signInOver(server, 'pete', PASSWORD)).cookie).toBeNull();
	});

	it('a demoted admin loses admin rights on the session already open', async () => {
		const s = await signInOver(server, 'adam', PASSWORD);
		expect((await get(server, '/settings', { cookie: s.cookie!, accept: 'text/html' })).status).toBe(200);
		await adminAction('setRole', { id: ids.adam, role: 'executive' });
		expect(await whoAmI(s.cookie!)).toMatchObject({ status: 200, role: 'executive' });
		const page = await get(server, '/settings', { cookie: s.cookie!, accept: 'text/html' });
		await page.body?.cancel();
		expect(page.status).toBe(403);
		const api = await get(server, '/api/v1/models', { cookie: s.cookie!, accept: 'application/json' });
		await api.body?.cancel();
		expect(api.status).toBe(403);
	});
});
