import type { Migration } from './index';

// Tolerance (DESIGN §5), alert rules and their state machine, silences, work items (DESIGN §6).
// Timestamps are TIMESTAMP holding UTC.
export const m0008Alerts: Migration = {
	id: 8,
	name: 'alerts',
	sql: `
CREATE TABLE tolerance_settings (
	segment TEXT PRIMARY KEY,
	weights JSON NOT NULL,
	half_life_days DOUBLE NOT NULL DEFAULT 30,
	tolerance_limit DOUBLE NOT NULL,
	first_response_sla_hours DOUBLE NOT NULL DEFAULT 8,
	updated_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE TABLE customer_debt (
	customer_id TEXT PRIMARY KEY,
	debt DOUBLE NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	crossed_at TIMESTAMP
);
CREATE TABLE debt_contributions (
	customer_id TEXT NOT NULL,
	event_id TEXT NOT NULL,
	occurred_at TIMESTAMP NOT NULL,
	kind TEXT NOT NULL,
	points DOUBLE NOT NULL,
	PRIMARY KEY (customer_id, event_id, kind)
);
CREATE INDEX debt_contributions_customer ON debt_contributions (customer_id, occurred_at);
CREATE TABLE alert_rules (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	kind TEXT NOT NULL,
	definition JSON NOT NULL,
	enabled BOOLEAN NOT NULL DEFAULT true,
	created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
	updated_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE TABLE alert_state (
	rule_id TEXT PRIMARY KEY,
	state TEXT NOT NULL,
	since TIMESTAMP NOT NULL,
	pending_since TIMESTAMP,
	recovering_since TIMESTAMP,
	last_value DOUBLE,
	last_evaluated_at TIMESTAMP,
	silenced BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE alert_transitions (
	rule_id TEXT NOT NULL,
	changed_at TIMESTAMP NOT NULL,
	from_state TEXT NOT NULL,
	to_state TEXT NOT NULL,
	value DOUBLE,
	threshold DOUBLE,
	reason TEXT
);
CREATE INDEX alert_transitions_rule ON alert_transitions (rule_id, changed_at);
CREATE TABLE silences (
	id TEXT PRIMARY KEY,
	matcher JSON NOT NULL,
	starts_at TIMESTAMP NOT NULL,
	ends_at TIMESTAMP NOT NULL,
	comment TEXT,
	created_by TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE TABLE work_items (
	id TEXT PRIMARY KEY,
	customer_id TEXT NOT NULL,
	rule_id TEXT,
	reason TEXT NOT NULL,
	detail JSON,
	state TEXT NOT NULL,
	assignee TEXT,
	snoozed_until TIMESTAMP,
	probability DOUBLE,
	monthly_value DOUBLE,
	priority DOUBLE NOT NULL DEFAULT 0,
	outcome TEXT,
	root_cause TEXT,
	note TEXT,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX work_items_customer ON work_items (customer_id, state);
CREATE TABLE work_item_transitions (
	work_item_id TEXT NOT NULL,
	changed_at TIMESTAMP NOT NULL,
	actor TEXT NOT NULL,
	from_state TEXT,
	to_state TEXT NOT NULL,
	detail JSON
);
CREATE INDEX work_item_transitions_item ON work_item_transitions (work_item_id, changed_at);
`
};
