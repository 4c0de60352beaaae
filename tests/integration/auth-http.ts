// Signing in against a real server the way a browser does (form POST with Origin, cookie back).
import type { TestServer } from '../helpers/server';

export interface SignInResponse {
	status: number;
	location: string | null;
	setCookie: string | null;
	/** `cx_session=…` ready for a Cookie header, when one was set. */
	cookie: string | null;
	retryAfter: string | null;
	body: string;
}

export async function postForm(server: TestServer, path: string, fields: Record<string, string>, cookie?: string, origin = server.url): Promise<Response> {
	return fetch(`${server.url}${path}`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html',
			origin,
			...(cookie ? { cookie } : {})
		},
		body: new URLSearchParams(fields).toString()
	});
}

export async function signInOver(server: TestServer, username: string, password: string, origin?: string): Promise<SignInResponse> {
	const r = await postForm(server, '/login', { username, password }, undefined, origin);
	const setCookie = r.headers.get('set-cookie');
	const m = setCookie ? /cx_session=([^;]+)/.exec(setCookie) : null;
	return {
		status: r.status,
		location: r.headers.get('location'),
		setCookie,
		cookie: m && m[1] ? `cx_session=${m[1]}` : null,
		retryAfter: r.headers.get('retry-after'),
		body: await r.text()
	};
}

export function get(server: TestServer, path: string, headers: Record<string, string> = {}): Promise<Response> {
	return fetch(`${server.url}${path}`, { redirect: 'manual', headers });
}
