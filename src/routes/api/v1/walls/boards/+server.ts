import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { actorName, requireAccess } from '$lib/server/auth/guards';
import { readJson } from '$lib/server/alerts/http-respond';
import { listBoards } from '$lib/server/metrics/board-store';
import { boardJson } from '$lib/server/metrics/board-json';
import { createBoard } from '$lib/server/metrics/board-edits';
import { respondBoard } from '$lib/server/metrics/board-respond';

// Boards are access configuration (what a display token shows): administrators only, like display tokens.
const ADMIN = { roles: [] } as const;

/** Every board: the built-ins (`builtin: true`) first, then the ones administrators made. */
export const GET: RequestHandler = async ({ locals }) => {
	requireAccess(locals, ADMIN);
	return json({ boards: (await listBoards(await getDb())).map(boardJson) }, { headers: { 'cache-control': 'no-store' } });
};

export const POST: RequestHandler = async ({ locals, request }) => {
	const p = requireAccess(locals, ADMIN);
	return respondBoard(await createBoard(await getDb(), await readJson(request), actorName(p)), 201);
};
