// Work-item action results as HTTP (claim/snooze/resolve routes).
import { json } from '@sveltejs/kit';
import type { WorkItemResult } from './work-item-types';

export function respond(r: WorkItemResult): Response {
	if (r.ok) return json({ item: r.value });
	return json(r.error, { status: r.error.status });
}

export async function readJson(request: Request): Promise<unknown> {
	try {
		return await request.json();
	} catch {
		return null;
	}
}
