// What a wall display needs: its board, the boards of its playlist and their first tile sets.
import type { Db } from '../db';
import type { Principal } from '../../shared/auth-types';
import type { TileSet } from '../../shared/live-events';
import { BOARDS, findBoard, type Board } from './boards';
import { churnOptions } from './overview';
import { computeTileSet } from './tiles';

export interface WallData {
	board: Board;
	playlist: Board[];
	/** Initial tile set per board name. */
	sets: Record<string, TileSet>;
}

export type WallResult =
	| { ok: true; value: WallData }
	| { ok: false; error: 'unknown-board' | 'no-token' | 'wrong-board' | 'not-allowed'; message: string };

/** A display token opens its own board and the boards of that board's playlist; users open any. */
export function wallAccess(p: Principal | null, board: Board): WallResult | null {
	if (!p) return { ok: false, error: 'no-token', message: 'This display token is invalid or has been revoked.' };
	if (p.kind === 'display') {
		const own = findBoard(p.board);
		if (p.board !== board.name && !own?.playlist.includes(board.name))
			return { ok: false, error: 'wrong-board', message: `This display token opens the board “${p.board}”, not “${board.name}”.` };
		return null;
	}
	if (p.kind === 'user') return null;
	return { ok: false, error: 'not-allowed', message: 'API keys cannot open wall displays.' };
}

export async function loadWall(db: Db, name: string, p: Principal | null): Promise<WallResult> {
	const board = findBoard(name);
	if (!board) {
		// Signed-in users may open any board, so they are told which exist; a bare link is not.
		const known = p?.kind === 'user' ? ` The boards are ${BOARDS.map((b) => b.name).join(', ')}.` : '';
		return { ok: false, error: 'unknown-board', message: `There is no board called “${name}”.${known}` };
	}
	const denied = wallAccess(p, board);
	if (denied) return denied;
	const playlist = board.playlist.map((n) => findBoard(n)).filter((b): b is Board => !!b);
	if (!playlist.some((b) => b.name === board.name)) playlist.unshift(board);
	const sets: Record<string, TileSet> = {};
	for (const b of playlist) {
		sets[b.name] = await computeTileSet(db, { window: b.window, channel: null, segment: null, metrics: b.tiles, churn: churnOptions() });
	}
	return { ok: true, value: { board, playlist, sets } };
}
