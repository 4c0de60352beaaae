import { describe, expect, it } from 'vitest';
import { toApiErrorResponse } from './api-error';

const jsonResponse = (body: unknown, status: number) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('API error shape', () => {
	it('turns SvelteKit {message} errors into {error}', async () => {
		const r = await toApiErrorResponse(jsonResponse({ message: 'your role (executive) may not do this' }, 403));
		expect(r.status).toBe(403);
		expect(await r.json()).toEqual({ error: 'your role (executive) may not do this' });
	});

	it('leaves richer error bodies and successes alone', async () => {
		expect(await (await toApiErrorResponse(jsonResponse({ errors: ['a'] }, 422))).json()).toEqual({ errors: ['a'] });
		expect(await (await toApiErrorResponse(jsonResponse({ message: 'ok' }, 200))).json()).toEqual({ message: 'ok' });
	});
});

describe('API error shape of non-JSON answers', () => {
	it("turns SvelteKit's plain-text 405 into {error}, keeping Allow", async () => {
		const r = await toApiErrorResponse(new Response('DELETE method not allowed', { status: 405, headers: { allow: 'GET, HEAD' } }));
		expect(r.status).toBe(405);
		expect(r.headers.get('allow')).toBe('GET, HEAD');
		expect(r.headers.get('content-type')).toBe('application/json');
		expect(await r.json()).toEqual({ error: 'DELETE method not allowed' });
		// As the built server sends it: bytes, no content type at all.
		const bare = await toApiErrorResponse(new Response(new TextEncoder().encode('POST method not allowed'), { status: 405 }));
		expect(await bare.json()).toEqual({ error: 'POST method not allowed' });
	});

	it('gives HTML error pages and empty bodies the status text', async () => {
		const html = await toApiErrorResponse(new Response('<!doctype html><h1>500</h1>', { status: 500, headers: { 'content-type': 'text/html' } }));
		expect(await html.json()).toEqual({ error: 'Internal Server Error' });
		expect(await (await toApiErrorResponse(new Response(null, { status: 405 }))).json()).toEqual({ error: 'Method Not Allowed' });
	});

	it('leaves non-JSON successes alone', async () => {
		const r = await toApiErrorResponse(new Response('a,b', { status: 200, headers: { 'content-type': 'text/csv' } }));
		expect(await r.text()).toBe('a,b');
	});
});
