// API errors are `{error: message}`, validation errors add `errors: [{field, message}]` (events: `index` too).
// SvelteKit renders error() thrown by handlers (e.g. guards.ts) as `{message}`, answers a method an
// endpoint lacks with a plain-text 405 and a thrown bug with an HTML page when the client accepts HTML;
// this rewrites those shapes, and gives an `errors` list without a summary its `error`, so every /api
// error has the one string a client can show.
import { STATUS_CODES } from 'node:http';

/** Plain-text bodies longer than this are not a message (and not worth echoing). */
const MAX_TEXT_MESSAGE = 500;

function withJsonBody(response: Response, body: object): Response {
	const headers = new Headers(response.headers);
	headers.delete('content-length');
	headers.set('content-type', 'application/json');
	return new Response(JSON.stringify(body), { status: response.status, statusText: response.statusText, headers });
}

async function fromNonJson(response: Response, type: string): Promise<Response> {
	const fallback = STATUS_CODES[response.status] ?? `HTTP ${response.status}`;
	// SvelteKit's text() (its 405, its CSRF refusal) sets no content type at all.
	if (!(type === '' || type.startsWith('text/plain')) || response.body === null) return withJsonBody(response, { error: fallback });
	const text = (await response.clone().text()).trim();
	return withJsonBody(response, { error: text !== '' && text.length <= MAX_TEXT_MESSAGE ? text : fallback });
}

export async function toApiErrorResponse(response: Response): Promise<Response> {
	if (response.status < 400) return response;
	const type = (response.headers.get('content-type') ?? '').toLowerCase();
	if (!type.includes('application/json')) return fromNonJson(response, type);
	const text = await response.clone().text();
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		return response;
	}
	if (!body || typeof body !== 'object' || Array.isArray(body)) return response;
	const keys = Object.keys(body);
	const message = (body as { message?: unknown }).message;
	if (keys.length === 1 && typeof message === 'string') return withJsonBody(response, { error: message });
	const summary = errorsSummary(body);
	return summary === null ? response : withJsonBody(response, { error: summary, ...body });
}

interface FieldProblem {
	index?: number;
	field?: string;
	message: string;
}

/** "index 3, rating: must be …" for one problem, "2 problems; the first: …" for more; null when the body has its `error` already. */
function errorsSummary(body: object): string | null {
	const { error, errors, truncated } = body as { error?: unknown; errors?: unknown; truncated?: unknown };
	if (error !== undefined || !Array.isArray(errors) || errors.length === 0) return null;
	const first = errors[0] as FieldProblem;
	if (!first || typeof first.message !== 'string') return null;
	const where = [typeof first.index === 'number' && first.index >= 0 ? `index ${first.index}` : null, first.field || null]
		.filter(Boolean)
		.join(', ');
	const text = where ? `${where}: ${first.message}` : first.message;
	if (errors.length === 1 && truncated !== true) return text;
	return `${truncated === true ? `more than ${errors.length}` : errors.length} problems; the first: ${text}`;
}
