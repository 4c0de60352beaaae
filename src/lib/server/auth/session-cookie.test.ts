import { describe, expect, it } from 'vitest';
import { clearedSessionCookieOptions, SESSION_COOKIE, sessionCookieOptions } from './session-cookie';

describe('session cookie', () => {
	const expires = new Date('2030-01-01T00:00:00Z');

	it('is HttpOnly, SameSite=Lax, Path=/ and Secure over https', () => {
		expect(SESSION_COOKIE).toBe('cx_session');
		expect(sessionCookieOptions(new URL('https://cx.example.com/login'), expires)).toEqual({
			path: '/',
			httpOnly: true,
			sameSite: 'lax',
			secure: true,
			expires
		});
	});

	it('is not Secure over plain http (the browser would drop it)', () => {
		expect(sessionCookieOptions(new URL('http://10.0.0.5:3000/login'), expires).secure).toBe(false);
	});

	it('is cleared with an expiry in the past and the same flags', () => {
		const o = clearedSessionCookieOptions(new URL('https://cx.example.com/'));
		expect(o.expires.getTime()).toBe(0);
		expect(o.secure).toBe(true);
	});
});
