import type { Migration } from './index';

// Wall boards an administrator made (Settings → Wall boards, the API, `cx boards`). The three built-in
// boards stay in code (metrics/boards.ts) so they cannot be edited away from the display tokens and
// bookmarks that name them; this table holds only the others. tiles and playlist are JSON arrays of
// metric ids and board names, in order. A playlist may name a board deleted later: the wall skips it.
// "window" is quoted everywhere: it is an SQL keyword. New table only: DuckDB 1.5 cannot replay
// ALTER TABLE … ADD COLUMN from its WAL (see 0016).
export const m0018WallBoards: Migration = {
	id: 18,
	name: 'wall-boards',
	sql: `
CREATE TABLE wall_boards (
	name TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	"window" TEXT NOT NULL,
	tiles TEXT NOT NULL,
	columns INTEGER NOT NULL,
	rotate_seconds INTEGER NOT NULL,
	playlist TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	created_by TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	updated_by TEXT NOT NULL
);
`
};
