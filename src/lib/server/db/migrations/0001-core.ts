import type { Migration } from './index';

export const m0001Core: Migration = {
	id: 1,
	name: 'core',
	sql: `
CREATE TABLE app_settings (
	key TEXT PRIMARY KEY,
	value JSON NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE audit_log (
	occurred_at TIMESTAMPTZ NOT NULL DEFAULT now(),
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	subject TEXT,
	detail JSON
);
`
};
