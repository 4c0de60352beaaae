// Work-item action results as HTTP (claim/snooze/resolve/release/assign routes).
import { error, json } from '@sveltejs/kit';
import type { WorkItemResult } from './work-item-types';

/** `{error}` (404), `{error, holder}` (403, 409), `{error, errors:[{field, message}]}` (422, as the other endpoints). */
export function respond(r: WorkItemResult): Response {
	if (r.ok) return json({ item: r.value });
	const e = r.error;
	if (e.status === 422) return json({ error: e.error, errors: [{ field: e.field, message: e.error }] }, { status: 422 });
	if (e.status === 409 || e.status === 403) return json({ error: e.error, holder: e.holder }, { status: e.status });
	return json({ error: e.error }, { status: e.status });
}

/**
 * The request's JSON body, or null when there is none (the validators then name what is required).
 * A body that is not JSON is a 400 that says so: validators given null used to answer "expected
 * object, received null" for a typo in the JSON.
 */
export async function readJson(request: Request): Promise<unknown> {
	const text = await request.text();
	if (text.trim() === '') return null;
	try {
		return JSON.parse(text);
	} catch (e) {
		error(400, `the request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
	}
}
