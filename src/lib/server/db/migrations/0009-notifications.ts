import type { Migration } from './index';

// Webhook destinations for alert notifications and the delivery log (DESIGN §6).
export const m0009Notifications: Migration = {
	id: 9,
	name: 'notifications',
	sql: `
CREATE TABLE webhook_destinations (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	url TEXT NOT NULL,
	template TEXT NOT NULL,
	all_rules BOOLEAN NOT NULL DEFAULT true,
	rule_ids JSON NOT NULL DEFAULT '[]',
	enabled BOOLEAN NOT NULL DEFAULT true,
	created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE TABLE webhook_deliveries (
	id TEXT PRIMARY KEY,
	destination_id TEXT NOT NULL,
	rule_id TEXT,
	payload JSON NOT NULL,
	status TEXT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	last_http_status INTEGER,
	last_error TEXT,
	next_attempt_at TIMESTAMP,
	created_at TIMESTAMP NOT NULL,
	delivered_at TIMESTAMP
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
`
};
