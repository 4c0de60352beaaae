import type { Migration } from './index';

// Per-customer state maintained at ingest (DESIGN §1): what the customer page, alerts and churn
// scoring need without scanning raw events. last_* ties are broken by event_id so the state is a
// pure function of the stored events, whatever order they arrived in.
export const m0004IngestState: Migration = {
	id: 4,
	name: 'ingest-state',
	sql: `
CREATE TABLE customer_state (
	customer_id TEXT PRIMARY KEY,
	first_seen_at TIMESTAMP NOT NULL,
	last_seen_at TIMESTAMP NOT NULL,
	last_event_id TEXT NOT NULL,
	last_event_type TEXT NOT NULL,
	last_channel TEXT NOT NULL,
	event_count BIGINT NOT NULL,
	purchase_count BIGINT NOT NULL,
	purchase_value DOUBLE NOT NULL,
	last_purchase_at TIMESTAMP,
	refund_count BIGINT NOT NULL,
	refund_value DOUBLE NOT NULL,
	support_count BIGINT NOT NULL,
	complaint_count BIGINT NOT NULL,
	cancelled_at TIMESTAMP,
	updated_at TIMESTAMP NOT NULL
);
`
};
