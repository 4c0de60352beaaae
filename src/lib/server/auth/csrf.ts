// The cross-site request check, done here instead of by SvelteKit (svelte.config.js turns its check off):
// SvelteKit's refuses every form-typed request without a matching Origin, which also refused API-key
// clients (curl -d, text/plain) that no browser can forge. Everything else matches SvelteKit, and a
// cross-origin request that carries cookies is refused whatever its type.
import { readBearer } from './authenticate';
import { isApiPath } from './route-policy';
import { mediaType } from '../api/media-type';

export interface CrossSiteRequest {
	method: string;
	/** Routed path (see routedPath). */
	path: string;
	origin: string | null;
	/** The app's own origins (see sameOrigins in served-origin.ts). */
	appOrigins: readonly string[];
	contentType: string | null;
	authorization: string | null;
	cookie: string | null;
}

/** The types an HTML form can send without a CORS preflight (SvelteKit's list, with its own binary form type). */
const FORM_TYPES = new Set([
	'application/x-www-form-urlencoded',
	'multipart/form-data',
	'text/plain',
	'application/x-sveltekit-formdata'
]);

export function isFormContentType(contentType: string | null): boolean {
	return FORM_TYPES.has(mediaType(contentType));
}

/** Why the request is refused as cross-site (→ 403), or null when it may go on. */
export function crossSiteRefusal(r: CrossSiteRequest): string | null {
	if (r.method === 'GET' || r.method === 'HEAD') return null;
	// A browser cannot add an Authorization header to a cross-site request without a CORS preflight, which
	// this server never grants, and a request with a Bearer token is never authenticated by its cookie
	// (authenticate.ts): there is no ambient credential to abuse.
	if (isApiPath(r.path) && readBearer(r.authorization) !== null) return null;
	if (r.origin !== null && r.appOrigins.includes(r.origin)) return null;
	if (isFormContentType(r.contentType)) return `Cross-site ${r.method} form submissions are forbidden`;
	// SameSite=Lax still sends the session cookie from sibling subdomains (same site, other origin).
	if (r.cookie && r.origin !== null) return `Cross-origin ${r.method} requests with cookies are forbidden`;
	return null;
}
