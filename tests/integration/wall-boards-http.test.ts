// Wall boards as data over real HTTP against the built server: an administrator makes a board, a display
// token for it opens /wall/<name> with the chosen tiles, a change shows on the next load, the built-ins stay
// read-only, a board a token still opens is not deleted, and every other role is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from '../helpers/server';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { signInOver } from './auth-http';

type Who = 'admin' | 'analyst' | 'retention' | 'executive' | 'anonymous';
let server: TestServer;
const auth: Record<Who, Record<string, string>> = { admin: {}, analyst: {}, retention: {}, executive: {}, anonymous: {} };
let adminCookie: string;

beforeAll(async () => {
	const dir = mkdtempSync(join(tmpdir(), 'cx-boards-http-'));
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		for (const role of ['admin', 'analyst', 'retention', 'executive'] as const) {
			const k = await createApiKey(db, { scope: role, name: `${role}-boards`, createdBy: 'test' });
			if (!k.ok) throw new Error(k.error);
			auth[role] = { authorization: `Bearer ${k.value.token}` };
		}
	} finally {
		await shutdownDb(dbPath);
	}
	server = await startServer({ dir });
	const s = await signInOver(server, 'admin', server.adminPassword()!);
	adminCookie = s.cookie!;
});

afterAll(async () => {
	await server?.stop();
});

function send(method: string, path: string, who: Who, body?: unknown, raw?: string): Promise<Response> {
	return fetch(`${server.url}${path}`, {
		method,
		headers: { 'content-type': 'application/json', accept: 'application/json', ...auth[who] },
		body: raw ?? (body === undefined ? undefined : JSON.stringify(body))
	});
}

/** A Settings form action as the enhanced form runs it; its answer's data (devalue), flattened. */
async function settingsAction(action: string, fields: Record<string, string>): Promise<Record<string, unknown>> {
	const r = await fetch(`${server.url}/settings?/${action}`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'x-sveltekit-action': 'true', origin: server.url, cookie: adminCookie },
		body: new URLSearchParams(fields).toString()
	});
	const res = (await r.json()) as { type: string; data: string };
	const arr = JSON.parse(res.data) as unknown[];
	const resolve = (v: unknown): unknown =>
		Array.isArray(v) ? v.map((i) => resolve(arr[i as number])) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, i]) => [k, resolve(arr[i as number])])) : v;
	return { type: res.type, ...(resolve(arr[0]) as Record<string, unknown>) };
}

/** The metric ids of the tiles a wall page renders, in order. */
async function wallTiles(path: string): Promise<{ status: number; tiles: string[]; html: string }> {
	const r = await fetch(`${server.url}${path}`, { headers: { accept: 'text/html' } });
	const html = await r.text();
	return { status: r.status, tiles: [...html.matchAll(/data-metric="([a-z0-9_]+)"/g)].map((m) => m[1]), html };
}

const store = { name: 'store', title: 'Store floor', window: '24h', tiles: ['nps', 'complaint_rate', 'csat'], columns: 3, rotate_seconds: 20, playlist: ['support'] };
let wallPath = '';
let tokenId = '';

describe('wall boards over HTTP', () => {
	it('an admin creates a board; the list has the built-ins first, marked, and the new one', async () => {
		const r = await send('POST', '/api/v1/walls/boards', 'admin', store);
		expect(r.status).toBe(201);
		const { board } = (await r.json()) as { board: Record<string, unknown> };
		expect(board).toMatchObject({ ...store, builtin: false, created_by: 'key:admin-boards', updated_by: 'key:admin-boards' });
		expect(board.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
		const list = (await (await send('GET', '/api/v1/walls/boards', 'admin')).json()) as { boards: { name: string; builtin: boolean }[] };
		expect(list.boards.map((b) => [b.name, b.builtin])).toEqual([
			['main', true],
			['support', true],
			['retention', true],
			['store', false]
		]);
		expect((await send('POST', '/api/v1/walls/boards', 'admin', store)).status).toBe(409);
		const builtinName = await send('POST', '/api/v1/walls/boards', 'admin', { ...store, name: 'main', playlist: [] });
		expect(builtinName.status).toBe(409);
	});

	it('a display token for it opens /wall/store with the chosen tiles, in order', async () => {
		const made = await settingsAction('createDisplayToken', { board: 'store', name: 'till TV' });
		expect(made).toMatchObject({ type: 'success', ok: true });
		wallPath = new URL((made.secret as { value: string }).value).pathname + new URL((made.secret as { value: string }).value).search;
		expect(wallPath).toMatch(/^\/wall\/store\?token=/);
		const w = await wallTiles(wallPath);
		expect(w.status).toBe(200);
		expect(w.tiles).toEqual(['nps', 'complaint_rate', 'csat']);
		expect(w.html).toContain('Store floor');
		// It rotates through support, which its token opens too; not main.
		const token = new URL(wallPath, server.url).searchParams.get('token')!;
		expect((await wallTiles(`/wall/support?token=${token}`)).tiles).toEqual(['frt_median', 'frt_p90', 'res_median', 'res_p90', 'fcr', 'csat']);
		const other = (await wallTiles(`/wall/main?token=${token}`)).html;
		expect(other).toContain('data-testid="wall-denied"');
		// Said as what it is: a working link for another board, not a revoked token.
		expect(other).toContain('This link is for another board');
		expect(other).not.toContain('revoked or invalid');
		// The token's own API: live tiles for the board's window.
		const m = await fetch(`${server.url}/api/v1/metrics?window=24h`, { headers: { authorization: `Bearer ${token}` } });
		expect(m.status).toBe(200);
		await m.body?.cancel();
		// Tokens are `<id>.<secret>`.
		tokenId = token.split('.')[0];
	});

	it('PATCH changes the tiles; the next load of the wall shows them', async () => {
		const r = await send('PATCH', '/api/v1/walls/boards/store', 'admin', { tiles: ['active_customers', 'nps'], window: '7d' });
		expect(r.status).toBe(200);
		expect(await r.json()).toMatchObject({ board: { name: 'store', tiles: ['active_customers', 'nps'], window: '7d', title: 'Store floor', rotate_seconds: 20 } });
		expect((await wallTiles(wallPath)).tiles).toEqual(['active_customers', 'nps']);
	});

	it('built-in boards are read-only', async () => {
		const r = await send('PATCH', '/api/v1/walls/boards/main', 'admin', { title: 'Mine' });
		expect(r.status).toBe(409);
		expect(await r.json()).toEqual({ error: 'built-in boards cannot be changed; copy it' });
		expect((await send('DELETE', '/api/v1/walls/boards/main', 'admin')).status).toBe(409);
		expect((await send('PATCH', '/api/v1/walls/boards/nope', 'admin', { title: 'x' })).status).toBe(404);
	});

	it('answers 422 naming each wrong field, and 400 for a body that is not JSON', async () => {
		const r = await send('POST', '/api/v1/walls/boards', 'admin', { name: 'Bad Name', title: '', window: '2h', tiles: ['csat', 'csat'], columns: 9, rotate_seconds: 5, playlist: ['lobby'] });
		expect(r.status).toBe(422);
		const body = (await r.json()) as { error: string; errors: { field: string; message: string }[] };
		expect(body.error).toEqual(expect.any(String));
		expect(body.errors.map((e) => e.field).sort()).toEqual(['columns', 'name', 'rotate_seconds', 'tiles', 'title', 'window']);
		const patch = await send('PATCH', '/api/v1/walls/boards/store', 'admin', { playlist: ['lobby'], colums: 2 });
		expect(patch.status).toBe(422);
		expect(((await patch.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['colums']);
		const lobby = await send('PATCH', '/api/v1/walls/boards/store', 'admin', { playlist: ['lobby'] });
		expect(((await lobby.json()) as { errors: unknown[] }).errors).toEqual([{ field: 'playlist', message: expect.stringMatching(/"lobby", which is not a board/) }]);
		expect((await send('POST', '/api/v1/walls/boards', 'admin', undefined, '{"name": "x",')).status).toBe(400);
	});

	it.each(['analyst', 'retention', 'executive'] as const)('refuses %s (403) on every method', async (who) => {
		for (const [method, path, body] of [
			['GET', '/api/v1/walls/boards', undefined],
			['POST', '/api/v1/walls/boards', { ...store, name: 'mine' }],
			['PATCH', '/api/v1/walls/boards/store', { title: 'x' }],
			['DELETE', '/api/v1/walls/boards/store', undefined]
		] as const) {
			const r = await send(method, path, who, body);
			expect(r.status, `${method} ${path}`).toBe(403);
			await r.body?.cancel();
		}
	});

	it('refuses anonymous callers (401) and display tokens (403)', async () => {
		expect((await send('GET', '/api/v1/walls/boards', 'anonymous')).status).toBe(401);
		expect((await send('DELETE', '/api/v1/walls/boards/store', 'anonymous')).status).toBe(401);
		const token = new URL(wallPath, server.url).searchParams.get('token')!;
		const r = await fetch(`${server.url}/api/v1/walls/boards`, { headers: { authorization: `Bearer ${token}` } });
		expect(r.status).toBe(403);
	});

	it('DELETE is refused while a display token opens the board, naming it; allowed once it is revoked', async () => {
		const r = await send('DELETE', '/api/v1/walls/boards/store', 'admin');
		expect(r.status).toBe(409);
		expect(await r.json()).toEqual({ error: '1 display token still opens the board "store" (till TV); revoke it first', tokens: ['till TV'] });
		expect(await settingsAction('revokeDisplayToken', { id: tokenId })).toMatchObject({ type: 'success', ok: true });
		expect((await send('DELETE', '/api/v1/walls/boards/store', 'admin')).status).toBe(204);
		expect((await send('PATCH', '/api/v1/walls/boards/store', 'admin', { title: 'x' })).status).toBe(404);
		const list = (await (await send('GET', '/api/v1/walls/boards', 'admin')).json()) as { boards: { name: string }[] };
		expect(list.boards.map((b) => b.name)).toEqual(['main', 'support', 'retention']);
	});
});
