// A wall board's JSON as the API, Settings and the CLI send it (snake_case), validated with zod. Messages
// name the field and say what it takes, as the alert configuration's do (alerts/rule-schema.ts).
import { z } from 'zod';
import { WINDOWS, type WindowId } from '../../shared/format';
import { checkBoardName } from '../auth/display-tokens';
import { issuesToErrors, type FieldError } from '../alerts/rule-schema';
import { METRIC_IDS } from './definitions';

export const BOARD_LIMITS = { titleMax: 80, tilesMax: 12, columnsMax: 6, rotateMin: 10, rotateMax: 3600, playlistMax: 20 } as const;

/** A board as written to wall_boards (everything but who and when). */
export interface BoardDefinition {
	name: string;
	title: string;
	window: WindowId;
	tiles: string[];
	columns: number;
	rotateSeconds: number;
	playlist: string[];
}

const TITLE = `title must be 1–${BOARD_LIMITS.titleMax} characters`;
const TILES = `tiles must list 1 to ${BOARD_LIMITS.tilesMax} metric ids, in reading order`;
const COLUMNS = `columns must be a whole number from 1 to ${BOARD_LIMITS.columnsMax}`;
const ROTATE = `rotate_seconds (seconds on screen) must be a whole number from ${BOARD_LIMITS.rotateMin} to ${BOARD_LIMITS.rotateMax.toLocaleString('en-GB')} (1 h)`;
const PLAYLIST = `playlist must list at most ${BOARD_LIMITS.playlistMax} board names`;

/** The first name listed twice, if any. */
function repeated(list: readonly string[]): string | undefined {
	return list.find((x, i) => list.indexOf(x) !== i);
}

const NAME_REQUIRED = 'name is required: 1–64 lower-case letters, digits, "_" or "-"';
const boardName = z.string({ error: NAME_REQUIRED }).superRefine((n, ctx) => {
	if (n.trim() === '') return ctx.addIssue({ code: 'custom', message: NAME_REQUIRED });
	const bad = checkBoardName(n);
	if (bad) ctx.addIssue({ code: 'custom', message: bad.replace(/^board /, 'name ') });
});

const fields = {
	title: z
		.string({ error: TITLE })
		.trim()
		.min(1, { error: TITLE })
		.max(BOARD_LIMITS.titleMax, { error: TITLE }),
	window: z.enum(WINDOWS, { error: `window must be one of ${WINDOWS.join(', ')}` }),
	tiles: z
		.array(z.string({ error: TILES }), { error: TILES })
		.min(1, { error: TILES })
		.max(BOARD_LIMITS.tilesMax, { error: TILES })
		.superRefine((tiles, ctx) => {
			for (const id of tiles)
				if (!METRIC_IDS.includes(id)) ctx.addIssue({ code: 'custom', message: `unknown metric ${JSON.stringify(id)}; use metric ids: ${METRIC_IDS.join(', ')}` });
			const twice = repeated(tiles);
			if (twice) ctx.addIssue({ code: 'custom', message: `tiles lists ${twice} more than once; show each metric once` });
		}),
	columns: z.number({ error: COLUMNS }).int({ error: COLUMNS }).min(1, { error: COLUMNS }).max(BOARD_LIMITS.columnsMax, { error: COLUMNS }),
	rotate_seconds: z.number({ error: ROTATE }).int({ error: ROTATE }).min(BOARD_LIMITS.rotateMin, { error: ROTATE }).max(BOARD_LIMITS.rotateMax, { error: ROTATE }),
	playlist: z
		.array(z.string({ error: PLAYLIST }), { error: PLAYLIST })
		.max(BOARD_LIMITS.playlistMax, { error: PLAYLIST })
		.superRefine((list, ctx) => {
			const twice = repeated(list);
			if (twice) ctx.addIssue({ code: 'custom', message: `playlist names ${twice} more than once` });
		})
};

// Strict: a misspelt key (`rotate_secs`) is refused by name instead of silently keeping the default.
const boardSchema = z.strictObject({
	name: boardName,
	...fields,
	columns: fields.columns.default(3),
	rotate_seconds: fields.rotate_seconds.default(30),
	playlist: fields.playlist.default([])
});

export type BoardParse = { ok: true; value: BoardDefinition } | { ok: false; errors: FieldError[] };

/**
 * A new board from its JSON. `boards`: the names of every board there is; a playlist may name those and
 * the board itself (a playlist without it shows the board first, one naming it starts the round there).
 */
export function parseBoard(input: unknown, boards: readonly string[]): BoardParse {
	const p = boardSchema.safeParse(input);
	if (!p.success) return { ok: false, errors: issuesToErrors(p.error.issues) };
	const d = p.data;
	const known = new Set([...boards, d.name]);
	const missing = d.playlist.filter((n) => !known.has(n));
	if (missing.length)
		return { ok: false, errors: missing.map((n) => ({ field: 'playlist', message: `playlist names ${JSON.stringify(n)}, which is not a board; boards: ${[...known].join(', ')}` })) };
	return { ok: true, value: { name: d.name, title: d.title, window: d.window, tiles: d.tiles, columns: d.columns, rotateSeconds: d.rotate_seconds, playlist: d.playlist } };
}

/** A board's JSON fields (what GET answers and POST takes), for merging a PATCH onto. */
export function boardInput(b: BoardDefinition): Record<string, unknown> {
	return { name: b.name, title: b.title, window: b.window, tiles: [...b.tiles], columns: b.columns, rotate_seconds: b.rotateSeconds, playlist: [...b.playlist] };
}

/**
 * `existing` changed by a PATCH body: keys left out keep their value. The name is what display tokens and
 * bookmarks point at, so it cannot change; a board is renamed by copying it.
 */
export function parseBoardPatch(existing: BoardDefinition, patch: unknown, boards: readonly string[]): BoardParse {
	if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
		return { ok: false, errors: [{ field: '(body)', message: 'the body must be a JSON object of the fields to change, e.g. {"tiles": ["csat", "nps"]}' }] };
	const p = patch as Record<string, unknown>;
	if ('name' in p && p.name !== existing.name)
		return {
			ok: false,
			errors: [{ field: 'name', message: `a board's name cannot be changed (display tokens and wall links point at it); copy the board under the new name and delete this one` }]
		};
	return parseBoard({ ...boardInput(existing), ...p }, boards);
}
