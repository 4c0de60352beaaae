import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { aUser } from '../../../../tests/fixtures/users';
import { authenticateRequest, type RequestCredentials } from './authenticate';
import { createApiKey } from './api-keys';
import { createDisplayToken } from './display-tokens';
import { createSession } from './session';

const req = (over: Partial<RequestCredentials>): RequestCredentials => ({
	method: 'GET',
	path: '/',
	authorization: null,
	tokenParam: null,
	sessionCookie: undefined,
	...over
});

describe('authenticateRequest', () => {
	let t: TempDb;
	let key: string;
	let display: string;
	let cookie: string;
	beforeEach(async () => {
		t = await tempDb();
		const k = await createApiKey(t.db, { scope: 'retention', createdBy: 'test' });
		const d = await createDisplayToken(t.db, { board: 'main', createdBy: 'test' });
		if (!k.ok || !d.ok) throw new Error('setup');
		key = k.value.token;
		display = d.value.token;
		const { user } = await aUser().withName('uma').withRole('analyst').create(t.db);
		cookie = (await createSession(t.db, user.id)).token;
	});
	afterEach(() => t.cleanup());

	it('reads Bearer API keys and display tokens', async () => {
		expect((await authenticateRequest(t.db, req({ authorization: `Bearer ${key}` }))).principal).toMatchObject({ kind: 'api-key', scope: 'retention' });
		expect((await authenticateRequest(t.db, req({ authorization: `bearer ${display}` }))).principal).toMatchObject({ kind: 'display', board: 'main' });
	});

	it('reads ?token= only on walls and the stream', async () => {
		expect((await authenticateRequest(t.db, req({ path: '/wall/main', tokenParam: display }))).principal).toMatchObject({ kind: 'display' });
		expect((await authenticateRequest(t.db, req({ path: '/api/v1/stream', tokenParam: display }))).principal).toMatchObject({ kind: 'display' });
		expect((await authenticateRequest(t.db, req({ path: '/alerts', tokenParam: display }))).principal).toBeNull();
		expect((await authenticateRequest(t.db, req({ path: '/api/v1/metrics', tokenParam: display }))).principal).toBeNull();
	});

	it('reads the session cookie, also next to a non-Bearer Authorization header', async () => {
		const a = await authenticateRequest(t.db, req({ sessionCookie: cookie, authorization: 'Basic dTpw' }));
		expect(a.principal).toMatchObject({ kind: 'user', username: 'uma', role: 'analyst' });
	});

	it('explains refused credentials and clears a dead cookie', async () => {
		const bad = await authenticateRequest(t.db, req({ authorization: `Bearer ${key}x` }));
		expect(bad).toEqual({ principal: null, refusal: expect.stringContaining('not a valid API key') });
		const dead = await authenticateRequest(t.db, req({ sessionCookie: 'abcdefgh.abcdefgh' }));
		expect(dead).toEqual({ principal: null, refusal: 'your session has ended; sign in again', cookie: { action: 'clear' } });
		expect(await authenticateRequest(t.db, req({ authorization: 'Basic dTpw' }))).toMatchObject({ principal: null, refusal: expect.stringContaining('Bearer') });
		expect(await authenticateRequest(t.db, req({}))).toEqual({ principal: null });
	});
});
