import type { Migration } from './index';

// Per-minute rollups (DESIGN §4): tiles read only these tables, never raw events.
// - rollup_minute: counters by minute × channel × segment (segment as known when the event arrived).
// - rollup_latency: log-spaced histograms (metric 'frt' first response, 'res' resolution) per minute.
// - rollup_ticket: one row per ticket: its state plus what it has contributed to the rollups, so a
//   later event (reply after solve, reopen, out-of-order open) retracts and re-adds its contribution.
// - rollup_customer: first event per customer (new customers) with its contribution key.
// - rollup_customer_minute / rollup_customer_day: distinct-customer activity (active, repeat purchase,
//   churn) at minute grain for window edges and day grain for whole days.
// - rollup_version: bumped inside every ingest transaction; readers see it change after commit.
export const m0005Rollups: Migration = {
	id: 5,
	name: 'rollups',
	sql: `
CREATE TABLE rollup_minute (
	minute TIMESTAMP NOT NULL,
	channel TEXT NOT NULL,
	segment TEXT NOT NULL,
	events BIGINT NOT NULL DEFAULT 0,
	csat_n BIGINT NOT NULL DEFAULT 0,
	csat_good BIGINT NOT NULL DEFAULT 0,
	nps_n BIGINT NOT NULL DEFAULT 0,
	nps_promoters BIGINT NOT NULL DEFAULT 0,
	nps_detractors BIGINT NOT NULL DEFAULT 0,
	ces_n BIGINT NOT NULL DEFAULT 0,
	ces_good BIGINT NOT NULL DEFAULT 0,
	ces_sum BIGINT NOT NULL DEFAULT 0,
	complaints BIGINT NOT NULL DEFAULT 0,
	purchases BIGINT NOT NULL DEFAULT 0,
	purchase_value DOUBLE NOT NULL DEFAULT 0,
	refunds BIGINT NOT NULL DEFAULT 0,
	cancellations BIGINT NOT NULL DEFAULT 0,
	signups BIGINT NOT NULL DEFAULT 0,
	tickets_opened BIGINT NOT NULL DEFAULT 0,
	tickets_reopened BIGINT NOT NULL DEFAULT 0,
	tickets_solved BIGINT NOT NULL DEFAULT 0,
	tickets_fcr BIGINT NOT NULL DEFAULT 0,
	new_customers BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (minute, channel, segment)
);
CREATE TABLE rollup_latency (
	minute TIMESTAMP NOT NULL,
	channel TEXT NOT NULL,
	segment TEXT NOT NULL,
	metric TEXT NOT NULL,
	bucket SMALLINT NOT NULL,
	n BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (minute, channel, segment, metric, bucket)
);
CREATE TABLE rollup_ticket (
	ticket_id TEXT PRIMARY KEY,
	customer_id TEXT NOT NULL,
	channel TEXT NOT NULL,
	segment TEXT NOT NULL,
	first_seen_at TIMESTAMP NOT NULL,
	opened_at TIMESTAMP,
	first_reply_at TIMESTAMP,
	first_solved_at TIMESTAMP,
	replies INTEGER NOT NULL DEFAULT 0,
	reopens INTEGER NOT NULL DEFAULT 0,
	c_channel TEXT,
	c_segment TEXT,
	c_frt_minute TIMESTAMP,
	c_frt_bucket SMALLINT,
	c_res_minute TIMESTAMP,
	c_res_bucket SMALLINT,
	c_solved_minute TIMESTAMP,
	c_fcr BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE rollup_customer (
	customer_id TEXT PRIMARY KEY,
	first_at TIMESTAMP NOT NULL,
	channel TEXT NOT NULL,
	segment TEXT NOT NULL
);
CREATE TABLE rollup_customer_minute (
	minute TIMESTAMP NOT NULL,
	customer_id TEXT NOT NULL,
	channel TEXT NOT NULL,
	segment TEXT NOT NULL,
	acts INTEGER NOT NULL,
	purchases INTEGER NOT NULL,
	cancels INTEGER NOT NULL
);
CREATE TABLE rollup_customer_day (
	day DATE NOT NULL,
	customer_id TEXT NOT NULL,
	channel TEXT NOT NULL,
	segment TEXT NOT NULL,
	acts INTEGER NOT NULL,
	purchases INTEGER NOT NULL,
	cancels INTEGER NOT NULL,
	PRIMARY KEY (day, customer_id, channel, segment)
);
CREATE TABLE rollup_version (
	id INTEGER PRIMARY KEY,
	version BIGINT NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	last_event_at TIMESTAMP
);
INSERT INTO rollup_version VALUES (1, 0, now() AT TIME ZONE 'UTC', NULL);
`
};
