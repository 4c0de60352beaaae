// Display tokens open wall boards (kiosks). A wall URL is a bookmark: no idle timeout, optional fixed expiry.
import { credentialsChanged } from './credential-epoch';
import type { Db } from '../db';
import type { Principal } from '../../shared/auth-types';
import { boardNames, findBoard } from '../metrics/board-store';
import { recordAudit } from './audit';
import { createSecretToken, parseSecretToken, verifySecret } from './secret-token';
import type { Result } from './users';
import { SYSTEM_ACTOR } from './actors';
import { chooseCredentialName } from './credential-name';

export interface DisplayTokenInfo {
	id: string;
	board: string;
	name: string;
	createdAt: string;
	createdBy: string;
	/** null: never expires. */
	expiresAt: string | null;
	revokedAt: string | null;
}

const BOARD = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function checkBoardName(board: string): string | null {
	if (!BOARD.test(board)) return `board "${board}" is not valid: use 1–64 lower-case letters, digits, "_" or "-"`;
	return null;
}

interface TokenRow {
	id: string;
	board: string;
	name: string;
	created_ms: number;
	created_by: string;
	expires_ms: number | null;
	revoked_ms: number | null;
}

const SELECT = `SELECT id, board, name, epoch_ms(created_at) AS created_ms, created_by,
	epoch_ms(expires_at) AS expires_ms, epoch_ms(revoked_at) AS revoked_ms FROM display_tokens`;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toInfo(r: TokenRow): DisplayTokenInfo {
	return {
		id: r.id,
		board: r.board,
		name: r.name,
		createdAt: iso(r.created_ms)!,
		createdBy: r.created_by,
		expiresAt: iso(r.expires_ms),
		revokedAt: iso(r.revoked_ms)
	};
}

export interface NewDisplayToken {
	board: string;
	name?: string;
	createdBy: string;
	/** Fixed end of validity; omitted or null: the token works until revoked. */
	expiresAt?: Date | null;
}

/** The path a kiosk opens: `/wall/<board>?token=…` (prefix with the server's origin to get the full URL). */
export function wallPath(board: string, token: string): string {
	return `/wall/${encodeURIComponent(board)}?token=${encodeURIComponent(token)}`;
}

export async function createDisplayToken(
	db: Db,
	input: NewDisplayToken,
	now: number = Date.now()
): Promise<Result<{ displayToken: DisplayTokenInfo; token: string; path: string }> & { field?: 'board' | 'name' | 'expires' }> {
	const board = input.board.trim();
	const bad = checkBoardName(board);
	if (bad) return { ok: false, error: bad, field: 'board' };
	const expires = input.expiresAt ? input.expiresAt.getTime() : null;
	if (expires !== null && (!Number.isFinite(expires) || expires <= now)) return { ok: false, error: 'expiry must be in the future', field: 'expires' };
	const t = createSecretToken();
	// Checked under the write lock: a board deleted meanwhile (board-edits.ts) cannot be left with a token,
	// and two requests cannot both take a name.
	const refused = await db.write(async (conn) => {
		if (!(await findBoard(db, board)))
			return { error: `there is no board called "${board}"; boards: ${(await boardNames(db)).join(', ')}`, field: 'board' as const };
		// The names of the tokens that still work: Settings lists them with a "Revoke NAME" button each.
		const active = await conn.runAndReadAll(
			'SELECT name FROM display_tokens WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > epoch_ms($1::BIGINT))',
			[now]
		);
		const choice = chooseCredentialName(input.name, active.getRowObjectsJS().map((r) => String(r.name)), `${board} wall`, 'display token');
		if (!choice.ok) return choice;
		const name = choice.name;
		await conn.run(
			`INSERT INTO display_tokens (id, board, name, secret_hash, created_at, created_by, expires_at)
			 VALUES ($1, $2, $3, unhex($4), epoch_ms($5::BIGINT), $6, epoch_ms($7::BIGINT))`,
			[t.id, board, name, t.secretHashHex, now, input.createdBy, expires]
		);
		await recordAudit(conn, { actor: input.createdBy, action: 'display-token.create', subject: t.id, detail: { board, name } });
		return null;
	});
	if (refused) return { ok: false, error: refused.error, field: refused.field };
	const row = await db.one<TokenRow>(`${SELECT} WHERE id = $1`, [t.id]);
	return { ok: true, value: { displayToken: toInfo(row!), token: t.token, path: wallPath(board, t.token) } };
}

export async function listDisplayTokens(db: Db): Promise<DisplayTokenInfo[]> {
	return (await db.all<TokenRow>(`${SELECT} ORDER BY revoked_at NULLS FIRST, created_at DESC`)).map(toInfo);
}

/** The tokens that open `board` today: not revoked and not expired (an expired token never works again). */
export async function liveDisplayTokens(db: Db, board: string, now: number = Date.now()): Promise<DisplayTokenInfo[]> {
	const rows = await db.all<TokenRow>(
		`${SELECT} WHERE board = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > epoch_ms($2::BIGINT)) ORDER BY created_at`,
		[board, now]
	);
	return rows.map(toInfo);
}

export async function revokeDisplayToken(db: Db, id: string, actor = SYSTEM_ACTOR, now: number = Date.now()): Promise<Result<DisplayTokenInfo>> {
	const row = await db.one<TokenRow>(`${SELECT} WHERE id = $1`, [id]);
	if (!row) return { ok: false, error: `no display token with id "${id}"` };
	if (row.revoked_ms === null)
		await db.write(async (conn) => {
			await conn.run('UPDATE display_tokens SET revoked_at = epoch_ms($1::BIGINT) WHERE id = $2', [now, id]);
			await recordAudit(conn, { actor, action: 'display-token.revoke', subject: id, detail: { board: row.board, name: row.name } });
		});
	credentialsChanged();
	return { ok: true, value: toInfo((await db.one<TokenRow>(`${SELECT} WHERE id = $1`, [id]))!) };
}

export async function validateDisplayToken(
	db: Db,
	token: string | null | undefined,
	now: number = Date.now()
): Promise<Extract<Principal, { kind: 'display' }> | null> {
	const parts = parseSecretToken(token);
	if (!parts) return null;
	const row = await db.one<{ id: string; board: string; hash_hex: string; revoked: boolean; expires_ms: number | null }>(
		`SELECT id, board, hex(secret_hash) AS hash_hex, revoked_at IS NOT NULL AS revoked, epoch_ms(expires_at) AS expires_ms
		 FROM display_tokens WHERE id = $1`,
		[parts.id]
	);
	if (!row || !verifySecret(parts.secret, row.hash_hex) || row.revoked) return null;
	if (row.expires_ms !== null && now >= row.expires_ms) return null;
	return { kind: 'display', tokenId: row.id, board: row.board };
}
