// Sessions (Lucia's guide): token `${id}.${secret}`, only SHA-256(secret) stored, constant-time compare,
// sliding expiry: each use (at most once a minute, to spare writes) pushes expiry to now + CX_SESSION_DAYS.
import { credentialsChanged } from './credential-epoch';
import type { Db } from '../db';
import { config } from '../config';
import type { Role } from '../../shared/auth-types';
import { createSecretToken, parseSecretToken, verifySecret } from './secret-token';

/** Writes to last_used_at/expires_at happen at most this often per session. */
export const ACTIVITY_INTERVAL_MS = 60_000;

export function sessionLifetimeMs(): number {
	return config().sessionDays * 86_400_000;
}

export interface Session {
	id: string;
	userId: string;
	expiresAt: Date;
}

export interface ValidSession {
	session: Session;
	user: { id: string; username: string; role: Role };
	/** True when expiry moved: the cookie must be set again with the new expiry. */
	refreshed: boolean;
}

export async function createSession(
	db: Db,
	userId: string,
	now: number = Date.now(),
	lifetimeMs: number = sessionLifetimeMs()
): Promise<{ token: string; session: Session }> {
	const t = createSecretToken();
	const expires = now + lifetimeMs;
	await db.write(async (conn) => {
		// Expired rows are useless; clearing them here keeps the table small without a timer.
		await conn.run('DELETE FROM sessions WHERE expires_at <= epoch_ms($1::BIGINT)', [now]);
		await conn.run(
			`INSERT INTO sessions (id, user_id, secret_hash, created_at, expires_at, last_used_at)
			 VALUES ($1, $2, unhex($3), epoch_ms($4::BIGINT), epoch_ms($5::BIGINT), epoch_ms($4::BIGINT))`,
			[t.id, userId, t.secretHashHex, now, expires]
		);
	});
	return { token: t.token, session: { id: t.id, userId, expiresAt: new Date(expires) } };
}

interface SessionRow {
	id: string;
	user_id: string;
	hash_hex: string;
	expires_ms: number;
	last_used_ms: number;
	username: string;
	role: Role;
	disabled: boolean;
}

/** The session and its user when the token is valid, unexpired and the user enabled; null otherwise. */
export async function validateSessionToken(
	db: Db,
	token: string | null | undefined,
	now: number = Date.now(),
	lifetimeMs: number = sessionLifetimeMs()
): Promise<ValidSession | null> {
	const parts = parseSecretToken(token);
	if (!parts) return null;
	const row = await db.one<SessionRow>(
		`SELECT s.id, s.user_id, hex(s.secret_hash) AS hash_hex, epoch_ms(s.expires_at) AS expires_ms,
		        epoch_ms(s.last_used_at) AS last_used_ms, u.username, u.role, u.disabled
		 FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`,
		[parts.id]
	);
	if (!row || !verifySecret(parts.secret, row.hash_hex)) return null;
	if (row.disabled) return null;
	if (now >= row.expires_ms) {
		await invalidateSession(db, row.id);
		return null;
	}
	let expires = row.expires_ms;
	let refreshed = false;
	if (now - row.last_used_ms >= ACTIVITY_INTERVAL_MS) {
		expires = now + lifetimeMs;
		refreshed = true;
		await db.write((conn) =>
			conn.run('UPDATE sessions SET last_used_at = epoch_ms($1::BIGINT), expires_at = epoch_ms($2::BIGINT) WHERE id = $3', [
				now,
				expires,
				row.id
			])
		);
	}
	return {
		session: { id: row.id, userId: row.user_id, expiresAt: new Date(expires) },
		user: { id: row.user_id, username: row.username, role: row.role },
		refreshed
	};
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
	await db.write((conn) => conn.run('DELETE FROM sessions WHERE id = $1', [sessionId]));
	credentialsChanged();
}

/** Signs a user out everywhere (disable, password reset). */
export async function invalidateUserSessions(db: Db, userId: string): Promise<void> {
	await db.write((conn) => conn.run('DELETE FROM sessions WHERE user_id = $1', [userId]));
	credentialsChanged();
}
