// A signed-in user changes their own password. The current one is asked for (a session left open on a shared
// desk must not be enough to take the account over) under the sign-in rate limit, and every other session of
// the user ends; the one in use stays signed in.
import type { Db } from '../db';
import { recordAudit } from './audit';
import { credentialsChanged } from './credential-epoch';
import { checkPassword, hashPassword, verifyPassword } from './password';
import type { LoginRateLimiter } from './rate-limit';
import { formatRetry } from './sign-in';
import { findUserById, type Result } from './users';

export interface PasswordChange {
	userId: string;
	sessionId: string;
	current: string;
	next: string;
	confirm: string;
	/** Client address, for the rate limit of wrong current passwords. */
	address: string;
}

/** Ok, or the field at fault and why. */
export async function changeOwnPassword(
	db: Db,
	limiter: LoginRateLimiter,
	c: PasswordChange,
	now: number = Date.now()
): Promise<Result<{ endedSessions: number }> & { field?: 'current' | 'next' | 'confirm' }> {
	const user = await findUserById(db, c.userId);
	if (!user || user.disabled) return { ok: false, error: 'this account is not active', field: 'current' };
	const gate = limiter.check(user.username, c.address, now);
	if (!gate.ok)
		return {
			ok: false,
			error: `too many wrong passwords; try again in ${formatRetry(gate.retryAfterSeconds)}`,
			field: 'current'
		};
	if (!(await verifyPassword(user.passwordHash, c.current))) {
		limiter.recordFailure(user.username, c.address, now);
		return { ok: false, error: 'the current password is not right', field: 'current' };
	}
	limiter.reset(user.username, c.address);
	const weak = checkPassword(c.next);
	if (weak) return { ok: false, error: `new password: ${weak}`, field: 'next' };
	if (c.next === c.current) return { ok: false, error: 'the new password is the current one', field: 'next' };
	if (c.next !== c.confirm) return { ok: false, error: 'the two new passwords differ', field: 'confirm' };
	const passwordHash = await hashPassword(c.next);
	const ended = await db.write(async (conn) => {
		await conn.run('UPDATE users SET password_hash = $1 WHERE id = $2', [passwordHash, c.userId]);
		const r = await conn.runAndReadAll('DELETE FROM sessions WHERE user_id = $1 AND id <> $2 RETURNING id', [
			c.userId,
			c.sessionId
		]);
		await recordAudit(conn, { actor: user.username, action: 'user.password-change', subject: user.username });
		return r.getRowObjectsJS().length;
	});
	credentialsChanged();
	return { ok: true, value: { endedSessions: ended } };
}
