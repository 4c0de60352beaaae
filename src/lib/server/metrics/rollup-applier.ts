// Ingest applier: updates the per-minute rollups from the batch's new events, set-based, inside the
// ingest transaction. Tiles read only what this maintains.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { IngestApplier } from '../ingest/appliers';
import { mergeAddSql } from './merge-add';
import { applyTicketRollups } from './rollup-tickets';

// Each counter of rollup_minute the batch's events add to, with its aggregate over _ru_ev.
const COUNTERS: [string, string][] = [
	['events', 'count(*)'],
	['csat_n', "count(*) FILTER (WHERE type = 'survey_csat')"],
	['csat_good', "count(*) FILTER (WHERE type = 'survey_csat' AND rating >= 4)"],
	['nps_n', "count(*) FILTER (WHERE type = 'survey_nps')"],
	['nps_promoters', "count(*) FILTER (WHERE type = 'survey_nps' AND rating >= 9)"],
	['nps_detractors', "count(*) FILTER (WHERE type = 'survey_nps' AND rating <= 6)"],
	['ces_n', "count(*) FILTER (WHERE type = 'survey_ces')"],
	['ces_good', "count(*) FILTER (WHERE type = 'survey_ces' AND rating >= 5)"],
	['ces_sum', "coalesce(sum(rating) FILTER (WHERE type = 'survey_ces'), 0)"],
	['complaints', "count(*) FILTER (WHERE type = 'complaint')"],
	['purchases', "count(*) FILTER (WHERE type = 'purchase')"],
	['purchase_value', "coalesce(sum(value) FILTER (WHERE type = 'purchase'), 0)"],
	['refunds', "count(*) FILTER (WHERE type = 'refund')"],
	['cancellations', "count(*) FILTER (WHERE type = 'cancellation')"],
	['signups', "count(*) FILTER (WHERE type = 'signup')"],
	['tickets_opened', "count(*) FILTER (WHERE type = 'support_opened')"],
	['tickets_reopened', "count(*) FILTER (WHERE type = 'support_reopened')"]
];

const MINUTE_KEYS = ['minute', 'channel', 'segment'];

const ADD_COUNTERS = mergeAddSql({
	into: 'rollup_minute',
	keys: MINUTE_KEYS,
	sums: COUNTERS.map(([name]) => name),
	using: `SELECT minute, channel, segment, ${COUNTERS.map(([name, agg]) => `${agg} AS ${name}`).join(', ')}
		FROM _ru_ev GROUP BY minute, channel, segment ORDER BY minute`
});

// Cancellation is not "activity": a customer whose last event is a cancellation is not active.
const ACTIVITY = `count(*) FILTER (WHERE type <> 'cancellation')::INTEGER AS acts,
	count(*) FILTER (WHERE type = 'purchase')::INTEGER AS purchases,
	count(*) FILTER (WHERE type = 'cancellation')::INTEGER AS cancels`;

// ver: the rollup_version this transaction commits, so the churn tile's activity links (see
// rollup-activity.ts) can catch up on exactly the rows added since it last looked.
const CUSTOMER_MINUTE = `
INSERT INTO rollup_customer_minute (minute, customer_id, channel, segment, acts, purchases, cancels, ver)
SELECT minute, customer_id, channel, segment, ${ACTIVITY}, (SELECT version + 1 FROM rollup_version WHERE id = 1)
FROM _ru_ev GROUP BY minute, customer_id, channel, segment ORDER BY minute`;

const CUSTOMER_DAY = mergeAddSql({
	into: 'rollup_customer_day',
	keys: ['day', 'customer_id', 'channel', 'segment'],
	sums: ['acts', 'purchases', 'cancels'],
	using: `SELECT minute::DATE AS day, customer_id, channel, segment, ${ACTIVITY}
		FROM _ru_ev GROUP BY minute::DATE, customer_id, channel, segment ORDER BY 1`
});

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

const NEW_CUSTOMERS = mergeAddSql({
	into: 'rollup_minute',
	keys: MINUTE_KEYS,
	sums: ['new_customers'],
	using: `SELECT minute, channel, segment, sum(d) AS new_customers FROM (
		SELECT date_trunc('minute', first_at) AS minute, channel, segment, 1 AS d FROM _ru_first
		UNION ALL
		SELECT date_trunc('minute', old_at), old_channel, old_segment, -1 FROM _ru_first WHERE old_at IS NOT NULL
	) GROUP BY minute, channel, segment`
});

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
	await conn.run(ADD_COUNTERS);
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
