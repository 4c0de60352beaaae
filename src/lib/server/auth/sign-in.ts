// Password sign-in: rate limit, verify (same work and message for unknown users), create a session.
import type { Db } from '../db';
import { dummyPasswordHash, verifyPassword } from './password';
import type { LoginRateLimiter } from './rate-limit';
import { createSession, type Session } from './session';
import { findUserByUsername, normalizeUsername } from './users';
import type { Role } from '../../shared/auth-types';

export const WRONG_CREDENTIALS = 'wrong username or password';

export type SignInResult =
	| { ok: true; value: { token: string; session: Session; user: { id: string; username: string; role: Role } } }
	| { ok: false; error: 'invalid'; message: string }
	| { ok: false; error: 'disabled'; message: string }
	| { ok: false; error: 'rate-limited'; message: string; retryAfterSeconds: number };

export function formatRetry(seconds: number): string {
	if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
	const m = Math.ceil(seconds / 60);
	return `${m} minute${m === 1 ? '' : 's'}`;
}

export async function signIn(
	db: Db,
	limiter: LoginRateLimiter,
	input: { username: string; password: string; address: string },
	now: number = Date.now()
): Promise<SignInResult> {
	const username = normalizeUsername(input.username);
	const gate = limiter.check(username, input.address, now);
	if (!gate.ok)
		return {
			ok: false,
			error: 'rate-limited',
			retryAfterSeconds: gate.retryAfterSeconds,
			message: `too many failed sign-ins for this user from your address; try again in ${formatRetry(gate.retryAfterSeconds)}`
		};
	const user = username ? await findUserByUsername(db, username) : null;
	const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
	if (!user || !valid) {
		limiter.recordFailure(username, input.address, now);
		return { ok: false, error: 'invalid', message: WRONG_CREDENTIALS };
	}
	limiter.reset(username, input.address);
	if (user.disabled) return { ok: false, error: 'disabled', message: 'this account is disabled; ask an administrator' };
	const { token, session } = await createSession(db, user.id, now);
	return { ok: true, value: { token, session, user: { id: user.id, username: user.username, role: user.role } } };
}
