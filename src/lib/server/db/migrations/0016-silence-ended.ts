import type { Migration } from './index';

// When and by whom a silence was ended early (End now) or deleted before it started. Ending used to
// overwrite ends_at (and starts_at, for a scheduled one), so the planned window was lost and nobody could
// tell who ended it. The window now stays as created; a silence mutes nothing from ended_at on.
export const m0016SilenceEnded: Migration = {
	id: 16,
	name: 'silence-ended',
	sql: `
ALTER TABLE silences ADD COLUMN ended_at TIMESTAMP;
ALTER TABLE silences ADD COLUMN ended_by TEXT;
`
};
