// Every wall board a wall, a display token or Settings may name: the built-ins (code) first, then the
// boards administrators made (table wall_boards), by name.
import type { Db } from '../db';
import type { WindowId } from '../../shared/format';
import { BUILTIN_BOARDS, findBuiltinBoard, type Board } from './boards';

export interface StoredBoard extends Board {
	builtin: boolean;
	/** ISO times and who; null for built-ins. */
	createdAt: string | null;
	createdBy: string | null;
	updatedAt: string | null;
	updatedBy: string | null;
}

interface BoardRow {
	name: string;
	title: string;
	window: string;
	tiles: string;
	columns: number;
	rotate_seconds: number;
	playlist: string;
	created_ms: number;
	created_by: string;
	updated_ms: number;
	updated_by: string;
}

export const BOARD_SELECT = `SELECT name, title, "window", tiles, columns, rotate_seconds, playlist,
	epoch_ms(created_at) AS created_ms, created_by, epoch_ms(updated_at) AS updated_ms, updated_by FROM wall_boards`;

const builtin = (b: Board): StoredBoard => ({ ...b, builtin: true, createdAt: null, createdBy: null, updatedAt: null, updatedBy: null });

export function decodeBoardRow(r: BoardRow): StoredBoard {
	return {
		name: r.name,
		title: r.title,
		// Written only through board-schema.ts, which accepts known windows only.
		window: r.window as WindowId,
		tiles: JSON.parse(r.tiles) as string[],
		columns: r.columns,
		rotateSeconds: r.rotate_seconds,
		playlist: JSON.parse(r.playlist) as string[],
		builtin: false,
		createdAt: new Date(r.created_ms).toISOString(),
		createdBy: r.created_by,
		updatedAt: new Date(r.updated_ms).toISOString(),
		updatedBy: r.updated_by
	};
}

export async function listBoards(db: Db): Promise<StoredBoard[]> {
	const rows = await db.all<BoardRow>(`${BOARD_SELECT} ORDER BY name`);
	// A custom row under a built-in's name cannot be written (board-edits.ts); were one there, the built-in wins.
	return [...BUILTIN_BOARDS.map(builtin), ...rows.filter((r) => !findBuiltinBoard(r.name)).map(decodeBoardRow)];
}

export async function findBoard(db: Db, name: string): Promise<StoredBoard | undefined> {
	const b = findBuiltinBoard(name);
	if (b) return builtin(b);
	const row = await db.one<BoardRow>(`${BOARD_SELECT} WHERE name = $1`, [name]);
	return row ? decodeBoardRow(row) : undefined;
}

export async function boardNames(db: Db): Promise<string[]> {
	return (await listBoards(db)).map((b) => b.name);
}
