import type { Migration } from './index';

// Users, sessions, API keys and display tokens (DESIGN §11). Only SHA-256 hashes of token secrets are
// stored. No foreign keys: DuckDB rewrites updated rows as delete+insert, which referenced rows refuse.
export const m0002Auth: Migration = {
	id: 2,
	name: 'auth',
	sql: `
CREATE TABLE users (
	id TEXT PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	password_hash TEXT NOT NULL,
	role TEXT NOT NULL,
	disabled BOOLEAN NOT NULL DEFAULT false,
	created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE TABLE sessions (
	id TEXT PRIMARY KEY,
	user_id TEXT NOT NULL,
	secret_hash BLOB NOT NULL,
	created_at TIMESTAMP NOT NULL,
	expires_at TIMESTAMP NOT NULL,
	last_used_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE api_keys (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	scope TEXT NOT NULL,
	secret_hash BLOB NOT NULL,
	created_at TIMESTAMP NOT NULL,
	created_by TEXT NOT NULL,
	revoked_at TIMESTAMP,
	last_used_at TIMESTAMP
);
CREATE TABLE display_tokens (
	id TEXT PRIMARY KEY,
	board TEXT NOT NULL,
	name TEXT NOT NULL,
	secret_hash BLOB NOT NULL,
	created_at TIMESTAMP NOT NULL,
	created_by TEXT NOT NULL,
	expires_at TIMESTAMP,
	revoked_at TIMESTAMP
);
`
};
