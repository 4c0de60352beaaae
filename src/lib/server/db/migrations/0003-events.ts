import type { Migration } from './index';

// Timestamps are TIMESTAMP holding UTC (no session time-zone conversions anywhere).
export const m0003Events: Migration = {
	id: 3,
	name: 'events',
	sql: `
CREATE TABLE customers (
	customer_id TEXT PRIMARY KEY,
	name TEXT,
	segment TEXT NOT NULL DEFAULT 'default',
	plan TEXT,
	region TEXT,
	signed_up_at TIMESTAMP,
	monthly_value DOUBLE NOT NULL DEFAULT 0,
	tolerance DOUBLE,
	attrs JSON,
	created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
	updated_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE TABLE events (
	event_id TEXT PRIMARY KEY,
	customer_id TEXT NOT NULL,
	occurred_at TIMESTAMP NOT NULL,
	channel TEXT NOT NULL,
	type TEXT NOT NULL,
	value DOUBLE,
	rating INTEGER,
	ticket_id TEXT,
	agent_id TEXT,
	attrs JSON,
	source TEXT NOT NULL,
	ingested_at TIMESTAMP NOT NULL
);
`
};
