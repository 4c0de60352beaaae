// A user changes their own password on /account: the current one is required, mistakes are named, other
// sessions end and the one in use stays; against the real built server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { createUser } from '../../src/lib/server/auth/users';
import { startServer, type TestServer } from '../helpers/server';
import { get, postForm, signInOver } from './auth-http';

let server: TestServer;
beforeAll(async () => {
	const dir = mkdtempSync(join(tmpdir(), 'cx-account-'));
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		for (const [username, role] of [
			['rita', 'retention'],
			['boss', 'admin']
		] as const)
			if (!(await createUser(db, { username, role, password: `${username}-password-1` })).ok)
				throw new Error('user');
	} finally {
		await shutdownDb(dbPath);
	}
	server = await startServer({ dir, env: { CX_LOGIN_MAX_ATTEMPTS: '3' } });
});
afterAll(async () => {
	await server?.stop();
});

const change = (cookie: string, current: string, next: string, confirm = next) =>
	postForm(server, '/account?/changePassword', { current, next, confirm }, cookie);

describe('changing your own password', () => {
	it('names what is wrong, changes it, signs out the other sessions and keeps this one', async () => {
		const here = (await signInOver(server, 'rita', 'rita-password-1')).cookie!;
		const elsewhere = (await signInOver(server, 'rita', 'rita-password-1')).cookie!;
		const page = await get(server, '/account', { cookie: here });
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('Change your password');

		const wrong = await change(here, 'not-my-password', 'rita-new-password-2');
		expect(wrong.status).toBe(400);
		expect(await wrong.text()).toContain('the current password is not right');
		const short = await change(here, 'rita-password-1', 'short');
		expect(short.status).toBe(400);
		expect(await short.text()).toContain('new password:');
		const differ = await change(here, 'rita-password-1', 'rita-new-password-2', 'rita-new-password-3');
		expect(differ.status).toBe(400);
		expect(await differ.text()).toContain('the two new passwords differ');

		const ok = await change(here, 'rita-password-1', 'rita-new-password-2');
		expect(ok.status).toBe(200);
		expect(await ok.text()).toContain('Signed out 1 other session of yours');
		expect((await get(server, '/alerts', { cookie: here })).status).toBe(200);
		expect((await get(server, '/alerts', { cookie: elsewhere })).status).toBe(303);
		expect((await signInOver(server, 'rita', 'rita-password-1')).status).toBe(400);
		expect((await signInOver(server, 'rita', 'rita-new-password-2')).status).toBe(303);
	});

	it('limits guesses of the current password like sign-ins', async () => {
		const cookie = (await signInOver(server, 'boss', 'boss-password-1')).cookie!;
		for (let i = 0; i < 3; i++)
			expect((await change(cookie, `guess-${i}-xxxxxxxx`, 'boss-new-password-2')).status).toBe(400);
		const blocked = await change(cookie, 'boss-password-1', 'boss-new-password-2');
		expect(blocked.status).toBe(429);
		expect(await blocked.text()).toContain('too many wrong passwords');
	});

	it('is refused to anyone not signed in', async () => {
		expect((await get(server, '/account')).status).toBe(303);
		expect(
			(
				await postForm(server, '/account?/changePassword', {
					current: 'x',
					next: 'yyyyyyyyyyyy',
					confirm: 'yyyyyyyyyyyy'
				})
			).status
		).not.toBe(200);
	});
});
