// Behind a reverse proxy (docs/operations.md): ADDRESS_HEADER makes the sign-in rate limit see the client's
// address from X-Forwarded-For; a request that bypasses the proxy lacks it and must get a clear answer, not a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
	server = await startServer({ env: { ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1', CX_LOGIN_MAX_ATTEMPTS: '2', CX_LOGIN_WINDOW_SECONDS: '600' } });
});
afterAll(async () => {
	await server?.stop();
});

const signIn = (username: string, password: string, forwardedFor?: string) =>
	fetch(`${server.url}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html',
			origin: server.url,
			...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {})
		},
		body: new URLSearchParams({ username, password }).toString()
	});

describe('sign-in behind a proxy (ADDRESS_HEADER=x-forwarded-for)', () => {
	it('a sign-in that did not come through the proxy gets 400 saying so, not a 500', async () => {
		const r = await signIn('admin', server.adminPassword()!);
		expect(r.status).toBe(400);
		expect(await r.text()).toContain('did not pass the proxy the server expects');
		expect(server.output()).not.toMatch(/Address header was specified/);
	});

	it('limits failed sign-ins per forwarded address, and the right password passes', async () => {
		for (let i = 0; i < 2; i++) expect((await signIn('someone', 'wrong-password', '203.0.113.7')).status).toBe(400);
		expect((await signIn('someone', 'wrong-password', '203.0.113.7')).status).toBe(429);
		expect((await signIn('someone', 'wrong-password', '198.51.100.9')).status).toBe(400);
		expect((await signIn('admin', server.adminPassword()!, '198.51.100.9')).status).toBe(303);
	});
});
