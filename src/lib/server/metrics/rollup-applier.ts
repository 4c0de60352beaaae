// Ingest applier: updates the per-minute rollups from the batch's new events, set-based, inside the
// ingest transaction. Tiles read only what this maintains.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { IngestApplier } from '../ingest/appliers';
import { applyTicketRollups } from './rollup-tickets';

const COUNTERS = `
INSERT INTO rollup_minute (minute, channel, segment, events, csat_n, csat_good, nps_n, nps_promoters,
	nps_detractors, ces_n, ces_good, ces_sum, complaints, purchases, purchase_value, refunds, cancellations,
	signups, tickets_opened, tickets_reopened)
SELECT minute, channel, segment, count(*),
	count(*) FILTER (WHERE type = 'survey_csat'),
	count(*) FILTER (WHERE type = 'survey_csat' AND rating >= 4),
	count(*) FILTER (WHERE type = 'survey_nps'),
	count(*) FILTER (WHERE type = 'survey_nps' AND rating >= 9),
	count(*) FILTER (WHERE type = 'survey_nps' AND rating <= 6),
	count(*) FILTER (WHERE type = 'survey_ces'),
	count(*) FILTER (WHERE type = 'survey_ces' AND rating >= 5),
	coalesce(sum(rating) FILTER (WHERE type = 'survey_ces'), 0),
	count(*) FILTER (WHERE type = 'complaint'),
	count(*) FILTER (WHERE type = 'purchase'),
	coalesce(sum(value) FILTER (WHERE type = 'purchase'), 0),
	count(*) FILTER (WHERE type = 'refund'),
	count(*) FILTER (WHERE type = 'cancellation'),
	count(*) FILTER (WHERE type = 'signup'),
	count(*) FILTER (WHERE type = 'support_opened'),
	count(*) FILTER (WHERE type = 'support_reopened')
FROM _ru_ev GROUP BY minute, channel, segment ORDER BY minute
ON CONFLICT (minute, channel, segment) DO UPDATE SET
	events = events + excluded.events, csat_n = csat_n + excluded.csat_n,
	csat_good = csat_good + excluded.csat_good, nps_n = nps_n + excluded.nps_n,
	nps_promoters = nps_promoters + excluded.nps_promoters, nps_detractors = nps_detractors + excluded.nps_detractors,
	ces_n = ces_n + excluded.ces_n, ces_good = ces_good + excluded.ces_good, ces_sum = ces_sum + excluded.ces_sum,
	complaints = complaints + excluded.complaints, purchases = purchases + excluded.purchases,
	purchase_value = purchase_value + excluded.purchase_value, refunds = refunds + excluded.refunds,
	cancellations = cancellations + excluded.cancellations, signups = signups + excluded.signups,
	tickets_opened = tickets_opened + excluded.tickets_opened,
	tickets_reopened = tickets_reopened + excluded.tickets_reopened`;

// Cancellation is not "activity": a customer whose last event is a cancellation is not active.
const ACTIVITY = `count(*) FILTER (WHERE type <> 'cancellation')::INTEGER,
	count(*) FILTER (WHERE type = 'purchase')::INTEGER, count(*) FILTER (WHERE type = 'cancellation')::INTEGER`;

// ver: the rollup_version this transaction commits, so the churn tile's activity links (see
// rollup-activity.ts) can catch up on exactly the rows added since it last looked.
const CUSTOMER_MINUTE = `
INSERT INTO rollup_customer_minute (minute, customer_id, channel, segment, acts, purchases, cancels, ver)
SELECT minute, customer_id, channel, segment, ${ACTIVITY}, (SELECT version + 1 FROM rollup_version WHERE id = 1)
FROM _ru_ev GROUP BY minute, customer_id, channel, segment ORDER BY minute`;

const CUSTOMER_DAY = `
INSERT INTO rollup_customer_day
SELECT minute::DATE, customer_id, channel, segment, ${ACTIVITY}
FROM _ru_ev GROUP BY minute::DATE, customer_id, channel, segment ORDER BY 1
ON CONFLICT (day, customer_id, channel, segment) DO UPDATE SET acts = acts + excluded.acts,
	purchases = purchases + excluded.purchases, cancels = cancels + excluded.cancels`;

const FIRST_SEEN = `
CREATE OR REPLACE TEMP TABLE _ru_first AS
WITH b AS (
	SELECT customer_id, min(occurred_at) AS first_at, arg_min(channel, occurred_at) AS channel,
		arg_min(segment, occurred_at) AS segment
	FROM _ru_ev GROUP BY customer_id
)
SELECT b.*, o.first_at AS old_at, o.channel AS old_channel, o.segment AS old_segment
FROM b LEFT JOIN rollup_customer o ON o.customer_id = b.customer_id
WHERE o.first_at IS NULL OR b.first_at < o.first_at`;

const NEW_CUSTOMERS = `
INSERT INTO rollup_minute (minute, channel, segment, new_customers)
SELECT minute, channel, segment, sum(d) FROM (
	SELECT date_trunc('minute', first_at) AS minute, channel, segment, 1 AS d FROM _ru_first
	UNION ALL
	SELECT date_trunc('minute', old_at), old_channel, old_segment, -1 FROM _ru_first WHERE old_at IS NOT NULL
) GROUP BY minute, channel, segment
ON CONFLICT (minute, channel, segment) DO UPDATE SET new_customers = new_customers + excluded.new_customers`;

const SAVE_FIRST = `
INSERT INTO rollup_customer SELECT customer_id, first_at, channel, segment FROM _ru_first
ON CONFLICT (customer_id) DO UPDATE SET first_at = excluded.first_at, channel = excluded.channel,
	segment = excluded.segment`;

/** Adds one batch (a table with the columns of `events`) to every rollup table. */
export async function applyRollups(conn: DuckDBConnection, newEventsTable: string): Promise<void> {
	await conn.run(`
		CREATE OR REPLACE TEMP TABLE _ru_ev AS
		SELECT e.customer_id, e.occurred_at, date_trunc('minute', e.occurred_at) AS minute, e.channel,
			coalesce(c.segment, 'default') AS segment, e.type, e.value, e.rating, e.ticket_id
		FROM ${newEventsTable} e LEFT JOIN customers c ON c.customer_id = e.customer_id`);
	await conn.run(COUNTERS);
	await conn.run(CUSTOMER_MINUTE);
	await conn.run(CUSTOMER_DAY);
	await conn.run(FIRST_SEEN);
	await conn.run(NEW_CUSTOMERS);
	await conn.run(SAVE_FIRST);
	await conn.run('DROP TABLE _ru_first');
	await applyTicketRollups(conn);
	await conn.run(`UPDATE rollup_version SET version = version + 1, updated_at = now() AT TIME ZONE 'UTC',
		last_event_at = greatest(last_event_at, (SELECT max(occurred_at) FROM _ru_ev)) WHERE id = 1`);
	await conn.run('DROP TABLE _ru_ev');
}

export const rollupApplier: IngestApplier = { name: 'rollups', apply: applyRollups };
