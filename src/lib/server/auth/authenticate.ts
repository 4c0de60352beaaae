// Who is making a request: a Bearer API key or display token, a display token in ?token= (walls and their
// stream only: EventSource cannot send headers), or the session cookie.
import type { Db } from '../db';
import type { Principal } from '../../shared/auth-types';
import { validateApiKey } from './api-keys';
import { validateDisplayToken } from './display-tokens';
import { acceptsTokenParam } from './route-policy';
import { validateSessionToken, type Session } from './session';

export interface RequestCredentials {
	method: string;
	path: string;
	authorization: string | null;
	tokenParam: string | null;
	sessionCookie: string | undefined;
}

export interface Authentication {
	principal: Principal | null;
	/** Why presented credentials were refused (for a precise 401), when they were. */
	refusal?: string;
	/** Set the cookie again (expiry moved) or clear it (invalid). */
	cookie?: { action: 'refresh'; token: string; session: Session } | { action: 'clear' };
}

/** Other schemes (e.g. Basic added by an auth proxy in front of the app) are ignored, so cookies still work. */
export function readBearer(authorization: string | null): string | null {
	const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
	return m ? m[1] : null;
}

export async function authenticateRequest(db: Db, c: RequestCredentials, now: number = Date.now()): Promise<Authentication> {
	const bearer = readBearer(c.authorization);
	if (bearer) {
		const key = await validateApiKey(db, bearer, now);
		if (key) return { principal: key };
		const display = await validateDisplayToken(db, bearer, now);
		if (display) return { principal: display };
		return { principal: null, refusal: 'the Bearer token is not a valid API key or display token (unknown, mistyped or revoked)' };
	}
	if (c.tokenParam !== null && acceptsTokenParam(c.method, c.path)) {
		const display = await validateDisplayToken(db, c.tokenParam, now);
		return display ? { principal: display } : { principal: null, refusal: 'the display token is invalid, expired or revoked' };
	}
	if (c.sessionCookie) {
		const s = await validateSessionToken(db, c.sessionCookie, now);
		if (!s) return { principal: null, refusal: 'your session has ended; sign in again', cookie: { action: 'clear' } };
		const principal: Principal = { kind: 'user', userId: s.user.id, username: s.user.username, role: s.user.role, sessionId: s.session.id };
		return s.refreshed ? { principal, cookie: { action: 'refresh', token: c.sessionCookie, session: s.session } } : { principal };
	}
	if (c.authorization !== null && c.authorization.trim() !== '') return { principal: null, refusal: 'send API keys as "Authorization: Bearer <key>"' };
	return { principal: null };
}
