// Creating, changing and deleting the boards administrators make; the API, Settings and the CLI call
// these. Built-in boards (boards.ts) are read-only. Every change is audited in its own transaction.
import { decodeRows } from '../db/decode';
import type { Db } from '../db';
import { recordAudit } from '../auth/audit';
import { liveDisplayTokens } from '../auth/display-tokens';
import type { FieldError } from '../alerts/rule-schema';
import { findBuiltinBoard, type Board } from './boards';
import { boardNames, findBoard, type StoredBoard } from './board-store';
import { parseBoard, parseBoardPatch } from './board-schema';

export type BoardEdit =
	| { ok: true; value: StoredBoard }
	| { ok: false; status: 404 | 409; error: string; tokens?: string[] }
	| { ok: false; status: 422; error: string; errors: FieldError[] };

const invalid = (errors: FieldError[]): BoardEdit => ({ ok: false, status: 422, error: errors[0].message, errors });
const BUILTIN = 'built-in boards cannot be changed; copy it';

function auditDetail(d: Board) {
	return { title: d.title, window: d.window, tiles: d.tiles.join(','), columns: d.columns, rotate_seconds: d.rotateSeconds, playlist: d.playlist.join(',') };
}

export async function createBoard(db: Db, input: unknown, actor: string, now = Date.now()): Promise<BoardEdit> {
	const p = parseBoard(input, await boardNames(db));
	if (!p.ok) return invalid(p.errors);
	const d = p.value;
	if (findBuiltinBoard(d.name)) return { ok: false, status: 409, error: `"${d.name}" is a built-in board; choose another name` };
	// Under the write lock nothing else commits, so the check and the insert see the same boards.
	const taken = await db.write(async (conn) => {
		if (await findBoard(db, d.name)) return true;
		await conn.run(
			`INSERT INTO wall_boards (name, title, "window", tiles, columns, rotate_seconds, playlist, created_at, created_by, updated_at, updated_by)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, epoch_ms($8::BIGINT), $9, epoch_ms($8::BIGINT), $9)`,
			[d.name, d.title, d.window, JSON.stringify(d.tiles), d.columns, d.rotateSeconds, JSON.stringify(d.playlist), now, actor]
		);
		await recordAudit(conn, { actor, action: 'wall-board.create', subject: d.name, detail: auditDetail(d) });
		return false;
	});
	if (taken) return { ok: false, status: 409, error: `there is already a board called "${d.name}"` };
	return { ok: true, value: (await findBoard(db, d.name))! };
}

export async function updateBoard(db: Db, name: string, patch: unknown, actor: string, now = Date.now()): Promise<BoardEdit> {
	const existing = await findBoard(db, name);
	if (!existing) return { ok: false, status: 404, error: `there is no board called "${name}"` };
	if (existing.builtin) return { ok: false, status: 409, error: BUILTIN };
	const p = parseBoardPatch({ ...existing, tiles: [...existing.tiles], playlist: [...existing.playlist] }, patch, await boardNames(db));
	if (!p.ok) return invalid(p.errors);
	const d = p.value;
	const gone = await db.write(async (conn) => {
		if (!(await findBoard(db, name))) return true;
		await conn.run(
			`UPDATE wall_boards SET title = $2, "window" = $3, tiles = $4, columns = $5, rotate_seconds = $6, playlist = $7,
			 updated_at = epoch_ms($8::BIGINT), updated_by = $9 WHERE name = $1`,
			[name, d.title, d.window, JSON.stringify(d.tiles), d.columns, d.rotateSeconds, JSON.stringify(d.playlist), now, actor]
		);
		await recordAudit(conn, { actor, action: 'wall-board.update', subject: name, detail: auditDetail(d) });
		return false;
	});
	if (gone) return { ok: false, status: 404, error: `there is no board called "${name}"` };
	return { ok: true, value: (await findBoard(db, name))! };
}

/**
 * Refused while a display token that still works (not revoked, not expired) opens the board: its wall
 * would turn into "unknown board". Other boards' playlists lose its name in the same transaction.
 */
export async function deleteBoard(db: Db, name: string, actor: string, now = Date.now()): Promise<BoardEdit> {
	const existing = await findBoard(db, name);
	if (!existing) return { ok: false, status: 404, error: `there is no board called "${name}"` };
	if (existing.builtin) return { ok: false, status: 409, error: BUILTIN };
	const r = await db.write(async (conn): Promise<BoardEdit> => {
		const tokens = await liveDisplayTokens(db, name, now);
		if (tokens.length) {
			const n = tokens.length === 1 ? '1 display token' : `${tokens.length} display tokens`;
			return {
				ok: false,
				status: 409,
				error: `${n} still open${tokens.length === 1 ? 's' : ''} the board "${name}" (${tokens.map((t) => t.name).join(', ')}); revoke ${tokens.length === 1 ? 'it' : 'them'} first`,
				tokens: tokens.map((t) => t.name)
			};
		}
		await conn.run('DELETE FROM wall_boards WHERE name = $1', [name]);
		// Out of every rotation too: a stored playlist naming a board that no longer exists could not be saved
		// again (its names are checked), so the board that named it could no longer be edited at all.
		const naming = decodeRows((await conn.runAndReadAll('SELECT name, playlist FROM wall_boards')).getRowObjectsJS()) as { name: string; playlist: string }[];
		for (const b of naming) {
			const list = JSON.parse(b.playlist) as string[];
			if (list.includes(name)) await conn.run('UPDATE wall_boards SET playlist = $2 WHERE name = $1', [b.name, JSON.stringify(list.filter((x) => x !== name))]);
		}
		await recordAudit(conn, { actor, action: 'wall-board.delete', subject: name, detail: auditDetail(existing) });
		return { ok: true, value: existing };
	});
	return r;
}
