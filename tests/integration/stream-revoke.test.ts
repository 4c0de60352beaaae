// An event stream was authorized only when it opened: a wall whose display token was revoked, or the page of a
// user who was disabled, kept receiving live data for as long as the connection lasted (weeks, for a wall).
// Against the real built server: revoking or disabling ends the open stream within seconds, and the reconnect
// is refused; other viewers keep theirs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { createDisplayToken } from '../../src/lib/server/auth/display-tokens';
import { createUser } from '../../src/lib/server/auth/users';
import { startServer, type TestServer } from '../helpers/server';
import { postForm, signInOver } from './auth-http';
import { SseReader } from './live-server';

let server: TestServer;
let wall: { id: string; token: string };
let analystKey: string;
let ana: { id: string; password: string };

beforeAll(async () => {
	const dir = mkdtempSync(join(tmpdir(), 'cx-revoke-'));
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		const d = await createDisplayToken(db, { board: 'main', createdBy: 'test' });
		const k = await createApiKey(db, { scope: 'analyst', createdBy: 'test' });
		const u = await createUser(db, { username: 'ana', role: 'analyst', password: 'ana-password-123' });
		// With users present the server creates no admin of its own.
		const a = await createUser(db, { username: 'boss', role: 'admin', password: 'boss-password-123' });
		if (!d.ok || !k.ok || !u.ok || !a.ok) throw new Error('could not create test credentials');
		wall = { id: d.value.displayToken.id, token: d.value.token };
		analystKey = k.value.token;
		ana = { id: u.value.user.id, password: 'ana-password-123' };
	} finally {
		await shutdownDb(dbPath);
	}
	server = await startServer({ dir, env: { CX_TICK_MS: '200' } });
});
afterAll(async () => {
	await server?.stop();
});

const stream = (headers: Record<string, string> = {}, query = '') =>
	fetch(`${server.url}/api/v1/stream?window=1h${query}`, { headers });

/** Resolves with how long the stream took to end (it must end, not time out). */
async function endsWithin(reader: SseReader, ms: number): Promise<number> {
	const t0 = Date.now();
	for (;;) {
		try {
			await reader.next(Math.max(1, ms - (Date.now() - t0)));
		} catch (e) {
			expect((e as Error).message).toBe('stream ended');
			return Date.now() - t0;
		}
	}
}

describe('open event streams follow revocations', () => {
	it('a revoked display token ends its wall stream, and the reconnect is refused', async () => {
		const wallStream = new SseReader(await stream({}, `&token=${encodeURIComponent(wall.token)}`));
		const other = new SseReader(await stream({ authorization: `Bearer ${analystKey}` }));
		await wallStream.next();
		await other.next();
		const admin = (await signInOver(server, 'boss', 'boss-password-123')).cookie!;
		expect((await postForm(server, '/settings?/revokeDisplayToken', { id: wall.id }, admin)).status).toBe(
			200
		);
		expect(await endsWithin(wallStream, 12_000)).toBeLessThan(12_000);
		expect((await stream({}, `&token=${encodeURIComponent(wall.token)}`)).status).toBe(401);
		// The analyst's stream is not affected: it still gets frames (a heartbeat at the latest).
		await other.until((e) => e.event === 'heartbeat' || e.event === 'tiles', 20_000);
		await other.close();
	}, 40_000);

	it("a disabled user's open stream ends", async () => {
		const cookie = (await signInOver(server, 'ana', ana.password)).cookie!;
		const mine = new SseReader(await stream({ cookie }));
		await mine.next();
		const admin = (await signInOver(server, 'boss', 'boss-password-123')).cookie!;
		expect(
			(await postForm(server, '/settings?/setDisabled', { id: ana.id, disabled: 'true' }, admin)).status
		).toBe(200);
		expect(await endsWithin(mine, 12_000)).toBeLessThan(12_000);
		expect((await stream({ cookie })).status).toBe(401);
	}, 40_000);
});
