import type { Migration } from './index';

// When and by whom a silence was ended early (End now) or deleted before it started. Ending used to
// overwrite ends_at (and starts_at, for a scheduled one), so the planned window was lost and nobody could
// tell who ended it. The window now stays as created; a silence mutes nothing from ended_at on.
// A table of its own, not columns added to silences: DuckDB 1.5 cannot replay an ALTER TABLE … ADD
// COLUMN from the write-ahead log ("Calling DatabaseManager::GetDefaultDatabase with no default database
// set"), so a process killed before its next checkpoint left a file that would not open.
export const m0016SilenceEnded: Migration = {
	id: 16,
	name: 'silence-ended',
	sql: `
CREATE TABLE silence_ends (
	silence_id TEXT PRIMARY KEY,
	ended_at TIMESTAMP NOT NULL,
	ended_by TEXT NOT NULL
);
`
};
