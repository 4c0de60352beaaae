// Ingest applier: folds the batch's new events into customer_state (migration 0004), set-based.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { IngestApplier } from './appliers';

// Aggregates of the batch per customer, merged with the stored row: counts add, extremes compare.
// The "last" event is the greatest (occurred_at, event_id), so arrival order never changes the result.
const sql = (t: string) => `
INSERT INTO customer_state
SELECT customer_id,
	min(occurred_at),
	max(occurred_at),
	arg_max(event_id, (occurred_at, event_id)),
	arg_max(type, (occurred_at, event_id)),
	arg_max(channel, (occurred_at, event_id)),
	count(*),
	count(*) FILTER (WHERE type = 'purchase'),
	coalesce(sum(value) FILTER (WHERE type = 'purchase'), 0),
	max(occurred_at) FILTER (WHERE type = 'purchase'),
	count(*) FILTER (WHERE type = 'refund'),
	coalesce(sum(value) FILTER (WHERE type = 'refund'), 0),
	count(*) FILTER (WHERE type = 'support_opened'),
	count(*) FILTER (WHERE type = 'complaint'),
	max(occurred_at) FILTER (WHERE type = 'cancellation'),
	now() AT TIME ZONE 'UTC'
FROM ${t} GROUP BY customer_id
ON CONFLICT (customer_id) DO UPDATE SET
	first_seen_at = least(first_seen_at, excluded.first_seen_at),
	last_event_id = CASE WHEN (excluded.last_seen_at, excluded.last_event_id) > (last_seen_at, last_event_id)
		THEN excluded.last_event_id ELSE last_event_id END,
	last_event_type = CASE WHEN (excluded.last_seen_at, excluded.last_event_id) > (last_seen_at, last_event_id)
		THEN excluded.last_event_type ELSE last_event_type END,
	last_channel = CASE WHEN (excluded.last_seen_at, excluded.last_event_id) > (last_seen_at, last_event_id)
		THEN excluded.last_channel ELSE last_channel END,
	last_seen_at = greatest(last_seen_at, excluded.last_seen_at),
	event_count = event_count + excluded.event_count,
	purchase_count = purchase_count + excluded.purchase_count,
	purchase_value = purchase_value + excluded.purchase_value,
	last_purchase_at = greatest(last_purchase_at, excluded.last_purchase_at),
	refund_count = refund_count + excluded.refund_count,
	refund_value = refund_value + excluded.refund_value,
	support_count = support_count + excluded.support_count,
	complaint_count = complaint_count + excluded.complaint_count,
	cancelled_at = greatest(cancelled_at, excluded.cancelled_at),
	updated_at = excluded.updated_at`;

export async function applyCustomerState(conn: DuckDBConnection, newEventsTable: string): Promise<void> {
	await conn.run(sql(newEventsTable));
}

export const customerStateApplier: IngestApplier = { name: 'customer-state', apply: applyCustomerState };
