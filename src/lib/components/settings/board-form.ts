// The wall-board form's starting values, request body and wording (Settings → Wall boards).
import type { FormWording } from '../alerts/form-errors';
import type { BoardJson } from '$lib/shared/board-json';
import type { WindowId } from '$lib/shared/format';

/** A board as GET /api/v1/walls/boards answers it (the fields the form uses). */
export type BoardRow = Omit<BoardJson, 'created_at' | 'created_by' | 'updated_at' | 'updated_by'>;

export type BoardFormMode = { kind: 'new' } | { kind: 'copy'; from: BoardRow } | { kind: 'edit'; board: BoardRow };

export interface BoardDraft {
	name: string;
	title: string;
	window: WindowId;
	tiles: string[];
	columns: number | null;
	rotateSeconds: number | null;
	playlist: string[];
}

export function initialDraft(mode: BoardFormMode): BoardDraft {
	if (mode.kind === 'new') return { name: '', title: '', window: '24h', tiles: [], columns: 3, rotateSeconds: 30, playlist: [] };
	const b = mode.kind === 'copy' ? mode.from : mode.board;
	return {
		// A copy needs a name of its own; the built-in names are taken.
		name: mode.kind === 'copy' ? '' : b.name,
		title: mode.kind === 'copy' ? `${b.title} (copy)`.slice(0, 80) : b.title,
		window: b.window,
		tiles: [...b.tiles],
		columns: b.columns,
		rotateSeconds: b.rotate_seconds,
		// The copy is shown first anyway; the source stays in its round only if it rotated through it.
		playlist: mode.kind === 'copy' ? b.playlist.filter((n) => n !== b.name || b.playlist.length > 1) : [...b.playlist]
	};
}

/** The POST (new, copy) or PATCH (edit) body; a PATCH never sends the name, which cannot change. */
export function boardBody(d: BoardDraft, edit: boolean): Record<string, unknown> {
	const body = { title: d.title, window: d.window, tiles: d.tiles, columns: d.columns, rotate_seconds: d.rotateSeconds, playlist: d.playlist };
	return edit ? body : { name: d.name.trim(), ...body };
}

export const BOARD_FIELDS = ['name', 'title', 'window', 'tiles', 'columns', 'rotate_seconds', 'playlist'] as const;

export const BOARD_WORDING: FormWording = {
	labels: { name: 'Name', title: 'Title', window: 'Window', tiles: 'Tiles', columns: 'Columns', playlist: 'Rotate through' },
	messages: {
		rotate_seconds: 'Seconds on screen must be a whole number from 10 to 3,600 (1 h)',
		columns: 'Columns must be a whole number from 1 to 6'
	}
};
