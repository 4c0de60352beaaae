// The origin the browser is on. adapter-node builds each request's URL from ORIGIN, or from PROTOCOL_HEADER and
// HOST_HEADER, and otherwise assumes https although it serves plain HTTP itself. Taken as it is, `npm start` on
// http://localhost:3000 refused every sign-in as cross-site (the browser's Origin is http://…), would have set
// the session cookie Secure (dropped by browsers on a plain-HTTP address other than localhost) and showed wall
// URLs that do not open.
import { config } from '../config';

/** The request URL with the scheme the browser used (http when adapter-node was told nothing). */
export function servedUrl(url: URL, adapterKnowsOrigin = config().adapterKnowsOrigin): URL {
	if (adapterKnowsOrigin || url.protocol === 'http:') return url;
	const u = new URL(url);
	u.protocol = 'http:';
	return u;
}

/**
 * Origins a same-origin request may carry. Without ORIGIN or PROTOCOL_HEADER a TLS proxy in front may also
 * have served the page over https: https://host is accepted too (no other site can send that Origin), though
 * the cookie is then not Secure, which is why docs/operations.md asks proxies to set ORIGIN.
 */
export function sameOrigins(url: URL, adapterKnowsOrigin = config().adapterKnowsOrigin): string[] {
	return adapterKnowsOrigin ? [url.origin] : [`http://${url.host}`, `https://${url.host}`];
}
