// `npm start` sets neither ORIGIN nor PROTOCOL_HEADER, and adapter-node then assumes https while serving plain
// HTTP: sign-ins from http://host:3000 were refused as cross-site. The built server started that way must let a
// browser on plain http sign in (cookie without Secure), still refuse other sites, and print wall URLs that open.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server';
import { postForm, signInOver } from './auth-http';

let server: TestServer;
beforeAll(async () => {
	server = await startServer({ env: { ORIGIN: undefined, PROTOCOL_HEADER: undefined } });
});
afterAll(async () => {
	await server?.stop();
});

describe('served over plain HTTP without ORIGIN (as npm start runs)', () => {
	it('signs a browser on http:// in, with a session cookie that is not Secure', async () => {
		const r = await signInOver(server, 'admin', server.adminPassword()!, server.url);
		expect(r.status).toBe(303);
		expect(r.setCookie).toMatch(/cx_session=/);
		expect(r.setCookie).toMatch(/HttpOnly/i);
		expect(r.setCookie).not.toMatch(/Secure/i);
	});

	it('still refuses a form post from another site, and one without an Origin', async () => {
		const evil = await signInOver(server, 'admin', server.adminPassword()!, 'http://evil.example');
		expect(evil.status).toBe(403);
		expect(evil.body).toContain('Cross-site POST form submissions are forbidden');
		const otherPort = await signInOver(
			server,
			'admin',
			server.adminPassword()!,
			`http://127.0.0.1:${server.port + 1}`
		);
		expect(otherPort.status).toBe(403);
		expect(otherPort.cookie).toBeNull();
	});

	it('accepts the same host over https (a TLS proxy nobody told the server about)', async () => {
		const r = await signInOver(server, 'admin', server.adminPassword()!, `https://127.0.0.1:${server.port}`);
		expect(r.status).toBe(303);
	});

	it('shows a display token’s wall URL on the scheme and host the admin is using', async () => {
		const { cookie } = await signInOver(server, 'admin', server.adminPassword()!, server.url);
		const r = await postForm(
			server,
			'/settings?/createDisplayToken',
			{ board: 'main', name: 'lobby' },
			cookie!
		);
		const body = await r.text();
		expect(r.status).toBe(200);
		expect(body).toContain(`${server.url}/wall/main?token=`);
		expect(body).not.toContain(`https://127.0.0.1:${server.port}/wall`);
	});
});
