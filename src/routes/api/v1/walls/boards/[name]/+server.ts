import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { actorName, requireAccess } from '$lib/server/auth/guards';
import { readJson } from '$lib/server/alerts/http-respond';
import { deleteBoard, updateBoard } from '$lib/server/metrics/board-edits';
import { respondBoard } from '$lib/server/metrics/board-respond';

const ADMIN = { roles: [] } as const;

/** Changes the fields the body names; built-in boards answer 409. */
export const PATCH: RequestHandler = async ({ locals, params, request }) => {
	const p = requireAccess(locals, ADMIN);
	return respondBoard(await updateBoard(await getDb(), params.name, await readJson(request), actorName(p)));
};

/** 204; 409 for a built-in board or while display tokens open it (named in `tokens`). */
export const DELETE: RequestHandler = async ({ locals, params }) => {
	const p = requireAccess(locals, ADMIN);
	const r = await deleteBoard(await getDb(), params.name, actorName(p));
	return r.ok ? new Response(null, { status: 204 }) : respondBoard(r);
};
