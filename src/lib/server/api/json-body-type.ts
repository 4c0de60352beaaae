// The JSON endpoints of /api read their bodies as JSON whatever the declared type; refusing other types up
// front gives clients the 415 that says what to send (curl -d sends form-urlencoded), instead of a body
// parsed by accident or a validator's confusing complaint.
import { mediaType } from './media-type';

export interface BodyHeaders {
	method: string;
	/** Routed path (see routedPath). */
	path: string;
	contentType: string | null;
	contentLength: string | null;
	transferEncoding: string | null;
}

/** Endpoints that take other bodies and answer a wrong type themselves. */
const OWN_BODY_TYPES = new Set(['/api/v1/events']);

function hasBody(h: BodyHeaders): boolean {
	if (h.transferEncoding !== null) return true;
	return h.contentLength !== null && Number(h.contentLength) !== 0;
}

export function isJsonContentType(contentType: string | null): boolean {
	const media = mediaType(contentType);
	return media === 'application/json' || /^application\/[^/\s]+\+json$/.test(media);
}

/** Why an API request's body is refused (→ 415), or null. Requests without a body pass whatever their type. */
export function jsonBodyTypeRefusal(h: BodyHeaders): string | null {
	if (h.method === 'GET' || h.method === 'HEAD' || OWN_BODY_TYPES.has(h.path) || !hasBody(h)) return null;
	if (isJsonContentType(h.contentType)) return null;
	const sent = h.contentType === null ? 'no Content-Type' : `Content-Type "${h.contentType.slice(0, 80)}"`;
	return `this endpoint takes a JSON body: send Content-Type: application/json (got ${sent})`;
}
