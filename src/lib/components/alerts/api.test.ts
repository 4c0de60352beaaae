// sendJson never throws: a server that cannot be reached is an answer with a readable message, so the
// callers' error paths (and their busy flags) run.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ANSWER_LOST, SESSION_ENDED, UNREACHABLE, messageOf, sendJson } from './api';

afterEach(() => vi.unstubAllGlobals());

describe('sendJson', () => {
	it('a fetch that rejects ("Failed to fetch") is a failed answer saying nothing changed', async () => {
		vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
		const r = await sendJson('POST', '/api/v1/workitems/x/claim');
		expect(r).toEqual({ ok: false, status: 0, data: { error: UNREACHABLE } });
		expect(messageOf(r)).toBe('cannot reach the server; nothing was changed');
	});

	it('an answer that breaks off says the change may have happened', async () => {
		const broken = { ok: true, status: 200, text: () => Promise.reject(new TypeError('network error')) };
		vi.stubGlobal('fetch', vi.fn().mockResolvedValue(broken));
		const r = await sendJson('POST', '/x', { a: 1 });
		expect(r).toEqual({ ok: false, status: 0, data: { error: ANSWER_LOST } });
	});

	it("keeps the server's status and JSON body; sends JSON with its content type", async () => {
		const fetch = vi
			.fn()
			.mockResolvedValue(new Response(JSON.stringify({ error: 'held', holder: 'ron' }), { status: 409 }));
		vi.stubGlobal('fetch', fetch);
		const r = await sendJson('POST', '/x', { note: 'n' });
		expect(r).toEqual({ ok: false, status: 409, data: { error: 'held', holder: 'ron' } });
		expect(fetch).toHaveBeenCalledWith('/x', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"note":"n"}'
		});
	});

	it('a 401 (the session ended elsewhere) says the change was not saved', async () => {
		vi.stubGlobal(
			'fetch',
			vi.fn().mockResolvedValue(new Response(JSON.stringify({ error: 'authentication required' }), { status: 401 }))
		);
		const r = await sendJson('POST', '/api/v1/workitems/x/claim');
		expect(r).toEqual({ ok: false, status: 401, data: { error: SESSION_ENDED } });
		expect(messageOf(r)).toMatch(/^your session has ended .*so this was not saved/);
	});

	it("a proxy's HTML error page becomes the status, a short text stays", async () => {
		vi.stubGlobal(
			'fetch',
			vi
				.fn()
				.mockResolvedValue(
					new Response('<html><body>Bad gateway</body></html>', { status: 502, statusText: 'Bad Gateway' })
				)
		);
		expect(messageOf(await sendJson('POST', '/x'))).toBe('the server answered 502 Bad Gateway');
		vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response('Service restarting', { status: 503 })));
		expect(messageOf(await sendJson('POST', '/x'))).toBe('Service restarting');
	});
});

describe('messageOf', () => {
	it('does not repeat a field its message already names', () => {
		const a = (errors: { field: string; message: string }[]) => ({
			ok: false,
			status: 422,
			data: { errors }
		});
		expect(messageOf(a([{ field: 'until', message: 'until must be in the future' }]))).toBe(
			'until must be in the future'
		);
		expect(messageOf(a([{ field: 'name', message: 'required' }]))).toBe('name: required');
	});
});
