// Work-item action results as HTTP (claim/snooze/resolve routes).
import { error, json } from '@sveltejs/kit';
import type { WorkItemResult } from './work-item-types';

export function respond(r: WorkItemResult): Response {
	if (r.ok) return json({ item: r.value });
	return json(r.error, { status: r.error.status });
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
