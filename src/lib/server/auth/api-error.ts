// API errors are `{error: message}`. SvelteKit renders error() thrown by handlers (e.g. guards.ts) as
// `{message}`; this rewrites exactly that shape so every /api error reads the same.
export async function toApiErrorResponse(response: Response): Promise<Response> {
	if (response.status < 400 || !(response.headers.get('content-type') ?? '').includes('application/json')) return response;
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
	if (keys.length !== 1 || typeof message !== 'string') return response;
	const headers = new Headers(response.headers);
	headers.delete('content-length');
	return new Response(JSON.stringify({ error: message }), { status: response.status, statusText: response.statusText, headers });
}
