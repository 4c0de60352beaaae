// The session cookie: HttpOnly (scripts cannot read it), SameSite=Lax (not sent on cross-site POSTs),
// Path=/, and Secure whenever the request arrived over HTTPS (behind a TLS proxy, set ORIGIN=https://…
// or PROTOCOL_HEADER so adapter-node sees https). Callers pass servedUrl(url) (served-origin.ts).
export const SESSION_COOKIE = 'cx_session';

export interface SessionCookieOptions {
	path: '/';
	httpOnly: true;
	sameSite: 'lax';
	secure: boolean;
	expires: Date;
}

export function sessionCookieOptions(url: URL, expiresAt: Date): SessionCookieOptions {
	return { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', expires: expiresAt };
}

/** Options that make the browser drop the cookie. */
export function clearedSessionCookieOptions(url: URL): SessionCookieOptions {
	return sessionCookieOptions(url, new Date(0));
}

