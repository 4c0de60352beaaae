// Ticket part of the rollup applier: first response, resolution, solved and FCR counters.
// Each ticket row remembers what it contributed (c_* columns); a batch recomputes the touched
// tickets' state, retracts the old contribution and adds the new one, so a reopen after a solve,
// a second agent reply or an out-of-order open corrects the counters instead of double counting.
import type { DuckDBConnection } from '@duckdb/node-api';
import { bucketSql } from './histogram';
import { mergeAddSql } from './merge-add';

const secs = (to: string, from: string) => `((epoch_ms(${to}) - epoch_ms(${from})) / 1000.0)`;
const pick = (col: string) =>
	`CASE WHEN o.ticket_id IS NULL OR b.first_seen_at < o.first_seen_at THEN b.${col} ELSE o.${col} END`;

const MERGE = `
CREATE OR REPLACE TEMP TABLE _ru_tk AS
WITH b AS (
	SELECT ticket_id, arg_min(customer_id, occurred_at) AS customer_id, min(occurred_at) AS first_seen_at,
		arg_min(channel, occurred_at) AS channel, arg_min(segment, occurred_at) AS segment,
		min(occurred_at) FILTER (WHERE type = 'support_opened') AS opened_at,
		min(occurred_at) FILTER (WHERE type = 'support_reply') AS first_reply_at,
		min(occurred_at) FILTER (WHERE type = 'support_solved') AS first_solved_at,
		count(*) FILTER (WHERE type = 'support_reply') AS replies,
		count(*) FILTER (WHERE type = 'support_reopened') AS reopens
	FROM _ru_ev WHERE ticket_id IS NOT NULL GROUP BY ticket_id
),
s AS (
	SELECT b.ticket_id, ${pick('customer_id')} AS customer_id, ${pick('channel')} AS channel,
		${pick('segment')} AS segment,
		least(b.first_seen_at, o.first_seen_at) AS first_seen_at,
		least(b.opened_at, o.opened_at) AS opened_at,
		least(b.first_reply_at, o.first_reply_at) AS first_reply_at,
		least(b.first_solved_at, o.first_solved_at) AS first_solved_at,
		(b.replies + coalesce(o.replies, 0))::INTEGER AS replies,
		(b.reopens + coalesce(o.reopens, 0))::INTEGER AS reopens,
		o.c_channel AS o_channel, o.c_segment AS o_segment, o.c_frt_minute AS o_frt_minute,
		o.c_frt_bucket AS o_frt_bucket, o.c_res_minute AS o_res_minute, o.c_res_bucket AS o_res_bucket,
		o.c_solved_minute AS o_solved_minute, coalesce(o.c_fcr, false) AS o_fcr
	FROM b LEFT JOIN rollup_ticket o ON o.ticket_id = b.ticket_id
)
SELECT *,
	CASE WHEN first_reply_at >= opened_at THEN date_trunc('minute', first_reply_at) END AS n_frt_minute,
	CASE WHEN first_reply_at >= opened_at THEN ${bucketSql(secs('first_reply_at', 'opened_at'))} END::SMALLINT AS n_frt_bucket,
	CASE WHEN first_solved_at >= opened_at THEN date_trunc('minute', first_solved_at) END AS n_res_minute,
	CASE WHEN first_solved_at >= opened_at THEN ${bucketSql(secs('first_solved_at', 'opened_at'))} END::SMALLINT AS n_res_bucket,
	date_trunc('minute', first_solved_at) AS n_solved_minute,
	(first_solved_at IS NOT NULL AND replies <= 1 AND reopens = 0) AS n_fcr
FROM s`;

const DELTAS = `
CREATE OR REPLACE TEMP TABLE _ru_td AS
SELECT minute, channel, segment, metric, bucket, sum(d)::BIGINT AS d FROM (
	SELECT o_frt_minute AS minute, o_channel AS channel, o_segment AS segment, 'frt' AS metric, o_frt_bucket AS bucket, -1 AS d FROM _ru_tk WHERE o_frt_minute IS NOT NULL
	UNION ALL SELECT n_frt_minute, channel, segment, 'frt', n_frt_bucket, 1 FROM _ru_tk WHERE n_frt_minute IS NOT NULL
	UNION ALL SELECT o_res_minute, o_channel, o_segment, 'res', o_res_bucket, -1 FROM _ru_tk WHERE o_res_minute IS NOT NULL
	UNION ALL SELECT n_res_minute, channel, segment, 'res', n_res_bucket, 1 FROM _ru_tk WHERE n_res_minute IS NOT NULL
	UNION ALL SELECT o_solved_minute, o_channel, o_segment, 'solved', 0, -1 FROM _ru_tk WHERE o_solved_minute IS NOT NULL
	UNION ALL SELECT n_solved_minute, channel, segment, 'solved', 0, 1 FROM _ru_tk WHERE n_solved_minute IS NOT NULL
	UNION ALL SELECT o_solved_minute, o_channel, o_segment, 'fcr', 0, -1 FROM _ru_tk WHERE o_fcr
	UNION ALL SELECT n_solved_minute, channel, segment, 'fcr', 0, 1 FROM _ru_tk WHERE n_fcr
) GROUP BY ALL HAVING sum(d) <> 0`;

const APPLY_LATENCY = mergeAddSql({
	into: 'rollup_latency',
	keys: ['minute', 'channel', 'segment', 'metric', 'bucket'],
	sums: ['n'],
	using: `SELECT minute, channel, segment, metric, bucket, d AS n FROM _ru_td WHERE metric IN ('frt', 'res') ORDER BY minute`
});

const APPLY_COUNTERS = mergeAddSql({
	into: 'rollup_minute',
	keys: ['minute', 'channel', 'segment'],
	sums: ['tickets_solved', 'tickets_fcr'],
	using: `SELECT minute, channel, segment, coalesce(sum(d) FILTER (WHERE metric = 'solved'), 0) AS tickets_solved,
		coalesce(sum(d) FILTER (WHERE metric = 'fcr'), 0) AS tickets_fcr
		FROM _ru_td WHERE metric IN ('solved', 'fcr') GROUP BY minute, channel, segment`
});

const SAVE_STATE = `
INSERT INTO rollup_ticket
SELECT ticket_id, customer_id, channel, segment, first_seen_at, opened_at, first_reply_at, first_solved_at,
	replies, reopens, channel, segment, n_frt_minute, n_frt_bucket, n_res_minute, n_res_bucket,
	n_solved_minute, n_fcr
FROM _ru_tk
ON CONFLICT (ticket_id) DO UPDATE SET customer_id = excluded.customer_id, channel = excluded.channel,
	segment = excluded.segment, first_seen_at = excluded.first_seen_at, opened_at = excluded.opened_at,
	first_reply_at = excluded.first_reply_at, first_solved_at = excluded.first_solved_at,
	replies = excluded.replies, reopens = excluded.reopens, c_channel = excluded.c_channel,
	c_segment = excluded.c_segment, c_frt_minute = excluded.c_frt_minute, c_frt_bucket = excluded.c_frt_bucket,
	c_res_minute = excluded.c_res_minute, c_res_bucket = excluded.c_res_bucket,
	c_solved_minute = excluded.c_solved_minute, c_fcr = excluded.c_fcr`;

/** Expects _ru_ev (the batch with minute and segment); leaves no temp tables behind. */
export async function applyTicketRollups(conn: DuckDBConnection): Promise<void> {
	await conn.run(MERGE);
	await conn.run(DELTAS);
	await conn.run(APPLY_LATENCY);
	await conn.run(APPLY_COUNTERS);
	await conn.run(SAVE_STATE);
	await conn.run('DROP TABLE _ru_td');
	await conn.run('DROP TABLE _ru_tk');
}
