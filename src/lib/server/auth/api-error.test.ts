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
