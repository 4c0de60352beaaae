import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { aUser } from '../../../../tests/fixtures/users';
import { LoginRateLimiter } from './rate-limit';
import { signIn, WRONG_CREDENTIALS } from './sign-in';
import { validateSessionToken } from './session';
import { setUserDisabled } from './users';

describe('sign-in', () => {
	let t: TempDb;
	beforeEach(async () => (t = await tempDb()));
	afterEach(() => t.cleanup());

	it('gives the same answer for an unknown user and a wrong password', async () => {
		const { user } = await aUser().create(t.db);
		const l = new LoginRateLimiter(10, 60_000);
		const unknown = await signIn(t.db, l, { username: 'ghost', password: 'whatever-123', address: 'a' });
		const wrong = await signIn(t.db, l, { username: user.username, password: 'whatever-123', address: 'a' });
		expect(unknown).toEqual({ ok: false, error: 'invalid', message: WRONG_CREDENTIALS });
		expect(wrong).toEqual(unknown);
	});

	it('creates a working session for the right password', async () => {
		const { user, password } = await aUser().withRole('executive').create(t.db);
		const r = await signIn(t.db, new LoginRateLimiter(3, 60_000), { username: user.username.toUpperCase(), password, address: 'a' });
		if (!r.ok) throw new Error(r.message);
		expect((await validateSessionToken(t.db, r.value.token))?.user.role).toBe('executive');
	});

	it('stops trying after too many failures, even with the right password', async () => {
		const { user, password } = await aUser().create(t.db);
		const l = new LoginRateLimiter(2, 60_000);
		await signIn(t.db, l, { username: user.username, password: 'nope-nope-1', address: 'a' });
		await signIn(t.db, l, { username: user.username, password: 'nope-nope-2', address: 'a' });
		const r = await signIn(t.db, l, { username: user.username, password, address: 'a' });
		expect(r).toMatchObject({ ok: false, error: 'rate-limited', message: expect.stringMatching(/try again in \d+ (seconds?|minute)/) });
	});

	it('refuses a disabled account', async () => {
		const { user, password } = await aUser().create(t.db);
		await aUser().withRole('admin').create(t.db);
		await setUserDisabled(t.db, user.id, true);
		expect(await signIn(t.db, new LoginRateLimiter(3, 60_000), { username: user.username, password, address: 'a' })).toMatchObject({ ok: false, error: 'disabled' });
	});
});
