// What a wall display needs: its board, the boards of its playlist and their first tile sets.
import type { Db } from '../db';
import type { Principal } from '../../shared/auth-types';
import type { TileSet } from '../../shared/live-events';
import type { Board } from './boards';
import { boardNames, findBoard } from './board-store';
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
	| { ok: false; error: 'unknown-board' | 'no-token' | 'bad-token' | 'wrong-board' | 'not-allowed'; message: string };

/**
 * A display token opens its own board and the boards of that board's playlist as it reads now (an
 * administrator's edit of the playlist changes what the token opens); users open any. `tokenGiven`: the
 * address carried a token (?token=); a bare /wall/main was told its token had been revoked.
 */
export async function wallAccess(db: Db, p: Principal | null, board: Board, tokenGiven: boolean): Promise<WallResult | null> {
	if (!p && !tokenGiven)
		return {
			ok: false,
			error: 'no-token',
			message: 'A wall opens with a display link (one with ?token=…) or for a signed-in user.'
		};
	if (!p) return { ok: false, error: 'bad-token', message: 'This display token is invalid or has been revoked.' };
	if (p.kind === 'display') {
		const own = p.board === board.name ? board : await findBoard(db, p.board);
		if (p.board !== board.name && !own?.playlist.includes(board.name))
			return { ok: false, error: 'wrong-board', message: `This display token opens the board “${p.board}”, not “${board.name}”.` };
		return null;
	}
	if (p.kind === 'user') return null;
	return { ok: false, error: 'not-allowed', message: 'API keys cannot open wall displays.' };
}

export async function loadWall(db: Db, name: string, p: Principal | null, tokenGiven: boolean): Promise<WallResult> {
	const board = await findBoard(db, name);
	if (!board) {
		// Signed-in users may open any board, so they are told which exist; a bare link is not.
		const known = p?.kind === 'user' ? ` The boards are ${(await boardNames(db)).join(', ')}.` : '';
		return { ok: false, error: 'unknown-board', message: `There is no board called “${name}”.${known}` };
	}
	const denied = await wallAccess(db, p, board, tokenGiven);
	if (denied) return denied;
	const playlist = await playlistOf(db, board);
	const sets: Record<string, TileSet> = {};
	for (const b of playlist) {
		sets[b.name] = await computeTileSet(db, { window: b.window, channel: null, segment: null, metrics: b.tiles, churn: churnOptions() });
	}
	return { ok: true, value: { board, playlist, sets } };
}

/**
 * The boards a wall shows in turn, starting with `board`: its playlist rotated so that it comes first (or
 * with it put in front when the playlist does not name it). Boards deleted since are skipped.
 */
export async function playlistOf(db: Db, board: Board): Promise<Board[]> {
	const found: Board[] = [];
	for (const n of board.playlist) {
		const b = n === board.name ? board : await findBoard(db, n);
		if (b && !found.some((x) => x.name === b.name)) found.push(b);
	}
	const at = found.findIndex((b) => b.name === board.name);
	return at < 0 ? [board, ...found] : [...found.slice(at), ...found.slice(0, at)];
}
