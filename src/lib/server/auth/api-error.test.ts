import { describe, expect, it } from 'vitest';
import { toApiErrorResponse } from './api-error';

const jsonResponse = (body: unknown, status: number) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('API error shape', () => {
	it('turns SvelteKit {message} errors into {error}', async () => {
		const r = await toApiErrorResponse(jsonResponse({ message: 'your role (executive) may not do this' }, 403));
		expect(r.status).toBe(403);
		expect(await r.json()).toEqual({ error: 'your role (executive) may not do this' });
	});

	it('leaves errors with a summary, unknown shapes and successes alone', async () => {
		const summarised = { error: 'invalid training request', errors: [{ field: 'epochs', message: 'must be 1 to 200' }] };
		expect(await (await toApiErrorResponse(jsonResponse(summarised, 422))).json()).toEqual(summarised);
		expect(await (await toApiErrorResponse(jsonResponse({ errors: ['a'] }, 422))).json()).toEqual({ errors: ['a'] });
		expect(await (await toApiErrorResponse(jsonResponse({ message: 'ok' }, 200))).json()).toEqual({ message: 'ok' });
		expect(await (await toApiErrorResponse(jsonResponse({ errors: [{ field: 'x', message: 'bad' }] }, 200))).json()).toEqual({
			errors: [{ field: 'x', message: 'bad' }]
		});
	});

	it('gives a list of field errors the first one as its error, keeping the list', async () => {
		const one = { errors: [{ index: 3, field: 'rating', message: 'must be from 1 to 5 for survey_csat, got 9' }] };
		expect(await (await toApiErrorResponse(jsonResponse(one, 422))).json()).toEqual({
			error: 'index 3, rating: must be from 1 to 5 for survey_csat, got 9',
			...one
		});
		const two = { errors: [{ field: 'threshold', message: 'must be a number' }, { field: 'for', message: 'too long' }] };
		expect((await (await toApiErrorResponse(jsonResponse(two, 422))).json()).error).toBe('2 problems; the first: threshold: must be a number');
		const body = { errors: [{ index: -1, field: 'body', message: 'malformed JSON at line 3' }] };
		expect((await (await toApiErrorResponse(jsonResponse(body, 400))).json()).error).toBe('body: malformed JSON at line 3');
		const cut = { errors: Array.from({ length: 100 }, (_, i) => ({ index: i, field: 'type', message: 'unknown' })), truncated: true };
		const r = await toApiErrorResponse(jsonResponse(cut, 422));
		expect(r.status).toBe(422);
		expect(await r.json()).toMatchObject({ error: 'more than 100 problems; the first: index 0, type: unknown', truncated: true });
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
