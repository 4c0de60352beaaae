// API keys for automation (like service accounts): scope `ingest` or one role; token shown once, stored hashed.
import { credentialsChanged } from './credential-epoch';
import type { Db } from '../db';
import { KEY_SCOPES, type KeyScope, type Principal } from '../../shared/auth-types';
import { recordAudit } from './audit';
import { createSecretToken, parseSecretToken, verifySecret } from './secret-token';
import type { Result } from './users';
import { SYSTEM_ACTOR } from './actors';
import { chooseCredentialName } from './credential-name';

export interface ApiKeyInfo {
	id: string;
	name: string;
	scope: KeyScope;
	createdAt: string;
	createdBy: string;
	revokedAt: string | null;
	lastUsedAt: string | null;
}

/** Writes to last_used_at happen at most this often per key (ingest may call many times a second). */
const LAST_USED_INTERVAL_MS = 60_000;

export function isKeyScope(x: unknown): x is KeyScope {
	return typeof x === 'string' && (KEY_SCOPES as readonly string[]).includes(x);
}

interface KeyRow {
	id: string;
	name: string;
	scope: KeyScope;
	created_ms: number;
	created_by: string;
	revoked_ms: number | null;
	last_used_ms: number | null;
}

const SELECT = `SELECT id, name, scope, epoch_ms(created_at) AS created_ms, created_by,
	epoch_ms(revoked_at) AS revoked_ms, epoch_ms(last_used_at) AS last_used_ms FROM api_keys`;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toInfo(r: KeyRow): ApiKeyInfo {
	return {
		id: r.id,
		name: r.name,
		scope: r.scope,
		createdAt: iso(r.created_ms)!,
		createdBy: r.created_by,
		revokedAt: iso(r.revoked_ms),
		lastUsedAt: iso(r.last_used_ms)
	};
}

export interface NewApiKey {
	scope: string;
	name?: string;
	createdBy: string;
}

/**
 * Creates a key; `token` is the only time the secret exists in clear. Settings and `cx keys create` both
 * come here, so both refuse the same names (credential-name.ts); `field` names the input at fault.
 */
export async function createApiKey(
	db: Db,
	input: NewApiKey,
	now: number = Date.now()
): Promise<Result<{ key: ApiKeyInfo; token: string }> & { field?: 'name' | 'scope' }> {
	if (!isKeyScope(input.scope)) return { ok: false, field: 'scope', error: `scope "${input.scope}" is not one of ${KEY_SCOPES.join(', ')}` };
	const t = createSecretToken();
	const named = await db.write(async (conn) => {
		const active = await conn.runAndReadAll('SELECT name FROM api_keys WHERE revoked_at IS NULL');
		const choice = chooseCredentialName(input.name, active.getRowObjectsJS().map((r) => String(r.name)), `${input.scope} key`, 'API key');
		if (!choice.ok) return choice;
		const name = choice.name;
		await conn.run(
			`INSERT INTO api_keys (id, name, scope, secret_hash, created_at, created_by)
			 VALUES ($1, $2, $3, unhex($4), epoch_ms($5::BIGINT), $6)`,
			[t.id, name, input.scope as KeyScope, t.secretHashHex, now, input.createdBy]
		);
		await recordAudit(conn, { actor: input.createdBy, action: 'api-key.create', subject: t.id, detail: { name, scope: input.scope } });
		return choice;
	});
	if (!named.ok) return named;
	const row = await db.one<KeyRow>(`${SELECT} WHERE id = $1`, [t.id]);
	return { ok: true, value: { key: toInfo(row!), token: t.token } };
}

export async function listApiKeys(db: Db): Promise<ApiKeyInfo[]> {
	return (await db.all<KeyRow>(`${SELECT} ORDER BY revoked_at NULLS FIRST, created_at DESC`)).map(toInfo);
}

/** Revoking is final; revoking an already revoked key is not an error (the key stays refused). */
export async function revokeApiKey(db: Db, id: string, actor = SYSTEM_ACTOR, now: number = Date.now()): Promise<Result<ApiKeyInfo>> {
	const row = await db.one<KeyRow>(`${SELECT} WHERE id = $1`, [id]);
	if (!row) return { ok: false, error: `no API key with id "${id}"` };
	if (row.revoked_ms === null)
		await db.write(async (conn) => {
			await conn.run('UPDATE api_keys SET revoked_at = epoch_ms($1::BIGINT) WHERE id = $2', [now, id]);
			await recordAudit(conn, { actor, action: 'api-key.revoke', subject: id, detail: { name: row.name } });
		});
	credentialsChanged();
	return { ok: true, value: toInfo((await db.one<KeyRow>(`${SELECT} WHERE id = $1`, [id]))!) };
}

/** The principal for a presented key, or null when unknown, wrong or revoked. */
export async function validateApiKey(db: Db, token: string | null | undefined, now: number = Date.now()): Promise<Extract<Principal, { kind: 'api-key' }> | null> {
	const parts = parseSecretToken(token);
	if (!parts) return null;
	const row = await db.one<{ id: string; name: string; scope: KeyScope; hash_hex: string; revoked: boolean; last_used_ms: number | null }>(
		`SELECT id, name, scope, hex(secret_hash) AS hash_hex, revoked_at IS NOT NULL AS revoked, epoch_ms(last_used_at) AS last_used_ms
		 FROM api_keys WHERE id = $1`,
		[parts.id]
	);
	if (!row || !verifySecret(parts.secret, row.hash_hex) || row.revoked) return null;
	if (row.last_used_ms === null || now - row.last_used_ms >= LAST_USED_INTERVAL_MS) {
		await db.write((conn) => conn.run('UPDATE api_keys SET last_used_at = epoch_ms($1::BIGINT) WHERE id = $2', [now, row.id]));
	}
	return { kind: 'api-key', keyId: row.id, name: row.name, scope: row.scope };
}
