import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { createApiKey, listApiKeys, revokeApiKey, validateApiKey } from './api-keys';
import { listAudit } from './audit';
import { createDisplayToken, revokeDisplayToken, validateDisplayToken } from './display-tokens';

describe('API keys and display tokens', () => {
	let t: TempDb;
	beforeEach(async () => (t = await tempDb()));
	afterEach(() => t.cleanup());

	it('API keys carry their scope, record last use and stop working when revoked', async () => {
		const r = await createApiKey(t.db, { scope: 'ingest', name: 'shop', createdBy: 'admin' });
		if (!r.ok) throw new Error(r.error);
		expect(await validateApiKey(t.db, r.value.token)).toEqual({ kind: 'api-key', keyId: r.value.key.id, name: 'shop', scope: 'ingest' });
		expect((await listApiKeys(t.db))[0].lastUsedAt).not.toBeNull();
		expect(await validateApiKey(t.db, r.value.token.slice(0, -1) + (r.value.token.endsWith('a') ? 'b' : 'a'))).toBeNull();
		expect((await revokeApiKey(t.db, r.value.key.id, 'root')).ok).toBe(true);
		expect(await validateApiKey(t.db, r.value.token)).toBeNull();
		// Revoking twice changes nothing and logs nothing new.
		expect((await revokeApiKey(t.db, r.value.key.id, 'root')).ok).toBe(true);
		const log = await listAudit(t.db);
		expect(log.map((a) => [a.actor, a.action, a.subject])).toEqual([
			['root', 'api-key.revoke', r.value.key.id],
			['admin', 'api-key.create', r.value.key.id]
		]);
		expect(JSON.stringify(log)).not.toContain(r.value.token.split('.')[1]);
	});

	it('API keys refuse an unknown scope', async () => {
		expect(await createApiKey(t.db, { scope: 'root', createdBy: 'admin' })).toEqual({
			ok: false,
			field: 'scope',
			error: 'scope "root" is not one of ingest, admin, analyst, retention, executive'
		});
	});

	it('API key names: an active key’s name is refused, a revoked one’s is free again; too long is refused, not cut', async () => {
		const first = await createApiKey(t.db, { scope: 'ingest', name: 'shop webhook', createdBy: 'admin' });
		if (!first.ok) throw new Error(first.error);
		const refused = { ok: false, field: 'name', error: 'name "shop webhook" is already used by an active API key; choose another name or revoke that API key first' };
		expect(await createApiKey(t.db, { scope: 'admin', name: ' Shop Webhook ', createdBy: 'admin' })).toEqual(refused);
		expect(await createApiKey(t.db, { scope: 'ingest', name: 'x'.repeat(1000), createdBy: 'admin' })).toEqual({
			ok: false,
			field: 'name',
			error: 'name is 1,000 characters long; at most 100 are allowed'
		});
		const hundred = await createApiKey(t.db, { scope: 'ingest', name: 'y'.repeat(100), createdBy: 'admin' });
		expect(hundred.ok && hundred.value.key.name).toBe('y'.repeat(100));
		// Nothing was stored for the refusals.
		expect((await listApiKeys(t.db)).map((k) => k.name).sort()).toEqual(['shop webhook', 'y'.repeat(100)]);
		expect((await revokeApiKey(t.db, first.value.key.id)).ok).toBe(true);
		const again = await createApiKey(t.db, { scope: 'ingest', name: 'shop webhook', createdBy: 'admin' });
		expect(again.ok && again.value.key.name).toBe('shop webhook');
		// No name given: the default, numbered when an active key has it.
		const names = [];
		for (let i = 0; i < 3; i++) {
			const r = await createApiKey(t.db, { scope: 'ingest', createdBy: 'admin' });
			names.push(r.ok ? r.value.key.name : r.error);
		}
		expect(names).toEqual(['ingest key', 'ingest key 2', 'ingest key 3']);
	});

	it('display token names follow the same rules (an expired token’s name is free again)', async () => {
		const now = Date.UTC(2026, 0, 1);
		const tv = await createDisplayToken(t.db, { board: 'main', name: 'floor TV', createdBy: 'admin', expiresAt: new Date(now + 60_000) }, now);
		if (!tv.ok) throw new Error(tv.error);
		expect(await createDisplayToken(t.db, { board: 'support', name: 'Floor TV', createdBy: 'admin' }, now)).toEqual({
			ok: false,
			field: 'name',
			error: 'name "floor TV" is already used by an active display token; choose another name or revoke that display token first'
		});
		expect(await createDisplayToken(t.db, { board: 'main', name: 'z'.repeat(101), createdBy: 'admin' }, now)).toEqual({
			ok: false,
			field: 'name',
			error: 'name is 101 characters long; at most 100 are allowed'
		});
		const later = await createDisplayToken(t.db, { board: 'support', name: 'Floor TV', createdBy: 'admin' }, now + 120_000);
		expect(later.ok && later.value.displayToken.name).toBe('Floor TV');
		const a = await createDisplayToken(t.db, { board: 'main', createdBy: 'admin' }, now);
		const b = await createDisplayToken(t.db, { board: 'main', createdBy: 'admin' }, now);
		expect([a.ok && a.value.displayToken.name, b.ok && b.value.displayToken.name]).toEqual(['main wall', 'main wall 2']);
	});

	it('display tokens open their board, give the wall path, expire and are revocable', async () => {
		const now = Date.UTC(2026, 0, 1);
		const r = await createDisplayToken(t.db, { board: 'main', createdBy: 'admin' }, now);
		if (!r.ok) throw new Error(r.error);
		expect(r.value.path).toBe(`/wall/main?token=${r.value.token}`);
		expect(r.value.displayToken.expiresAt).toBeNull();
		// No idle timeout: a year later the bookmark still works.
		expect(await validateDisplayToken(t.db, r.value.token, now + 365 * 86_400_000)).toEqual({
			kind: 'display',
			tokenId: r.value.displayToken.id,
			board: 'main'
		});
		const short = await createDisplayToken(t.db, { board: 'support', createdBy: 'admin', expiresAt: new Date(now + 1000) }, now);
		if (!short.ok) throw new Error(short.error);
		expect(await validateDisplayToken(t.db, short.value.token, now + 999)).not.toBeNull();
		expect(await validateDisplayToken(t.db, short.value.token, now + 1000)).toBeNull();
		await revokeDisplayToken(t.db, r.value.displayToken.id);
		expect(await validateDisplayToken(t.db, r.value.token, now)).toBeNull();
	});

	it('display tokens need a board that exists', async () => {
		expect(await createDisplayToken(t.db, { board: 'lobby', createdBy: 'admin' })).toMatchObject({
			ok: false,
			error: expect.stringContaining('there is no board called "lobby"')
		});
	});

	it('an API key is not a display token and vice versa', async () => {
		const k = await createApiKey(t.db, { scope: 'admin', createdBy: 'admin' });
		const d = await createDisplayToken(t.db, { board: 'main', createdBy: 'admin' });
		if (!k.ok || !d.ok) throw new Error('setup');
		expect(await validateDisplayToken(t.db, k.value.token)).toBeNull();
		expect(await validateApiKey(t.db, d.value.token)).toBeNull();
	});
});
