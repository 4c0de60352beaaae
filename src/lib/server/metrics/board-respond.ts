// Board edits as HTTP answers for the /api/v1/walls/boards routes.
import { json } from '@sveltejs/kit';
import type { BoardEdit } from './board-edits';
import { boardJson } from './board-json';

/** `{board}` (given status), `{error}` (404), `{error, tokens}` (409 on delete), `{error, errors}` (422). */
export function respondBoard(r: BoardEdit, status = 200): Response {
	if (r.ok) return json({ board: boardJson(r.value) }, { status });
	if (r.status === 422) return json({ error: r.error, errors: r.errors }, { status: 422 });
	return json(r.tokens ? { error: r.error, tokens: r.tokens } : { error: r.error }, { status: r.status });
}
