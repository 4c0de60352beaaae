import type { Migration } from './index';

// Each user's own display preferences (the Account page, PUT /api/v1/me/settings). time_zone is an IANA
// name or 'UTC'; NULL means "the browser's zone", the default, so a row exists only for users who chose.
// A new table, not columns of users: DuckDB 1.5 cannot replay ALTER TABLE … ADD COLUMN from its WAL (see 0016).
export const m0020UserSettings: Migration = {
	id: 20,
	name: 'user-settings',
	sql: `
CREATE TABLE user_settings (
	user_id TEXT PRIMARY KEY,
	time_zone TEXT,
	updated_at TIMESTAMP NOT NULL
);
`
};
