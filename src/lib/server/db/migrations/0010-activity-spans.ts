import type { Migration } from './index';

// Customer activity with "previous activity" pointers, so the churn tile counts distinct customers
// over its 30-day horizon with a filtered count instead of grouping every customer in the horizon:
// the customers active in [a, b) are exactly the records in [a, b) whose predecessor is before a.
// - rollup_activity: one row per (minute, customer, channel, segment) with activity (any event but a
//   cancellation; segment as known when the event arrived). p_all / p_ch / p_seg / p_cs: the minute of
//   the customer's previous record overall / on the same channel / in the same segment / both, in
//   (minute, channel, segment) order (equal minute = an earlier record in the same minute); NULL = none.
// - rollup_activity_last: each customer's latest activity minute per pointer kind (0 = per channel and
//   segment, 1 = per channel, 2 = per segment, 3 = overall; the columns a kind does not split by hold
//   ''): the predecessor of records arriving in time order, and "customers active at or after a" as a
//   filtered count over customers rather than over history. One row per (customer, kind, channel,
//   segment), kept so by the applier; no index, because upserts through one cost more than they save.
// - rollup_customer_minute.ver: the rollup_version that added the row; rollup_activity_state.version:
//   the version up to which rollup_activity has been linked (caught up outside ingest, see
//   metrics/rollup-activity.ts).
// Both tables are filled here from rollup_customer_minute, which holds the same activity.
export const m0010ActivitySpans: Migration = {
	id: 10,
	name: 'activity-spans',
	sql: `
ALTER TABLE rollup_customer_minute ADD COLUMN ver BIGINT;
CREATE TABLE rollup_activity_state (
	id INTEGER PRIMARY KEY,
	version BIGINT NOT NULL
);
INSERT INTO rollup_activity_state SELECT 1, version FROM rollup_version WHERE id = 1;
CREATE TABLE rollup_activity (
	minute TIMESTAMP NOT NULL,
	customer_id TEXT NOT NULL,
	channel TEXT NOT NULL,
	segment TEXT NOT NULL,
	p_all TIMESTAMP,
	p_ch TIMESTAMP,
	p_seg TIMESTAMP,
	p_cs TIMESTAMP
);
CREATE TABLE rollup_activity_last (
	customer_id TEXT NOT NULL,
	kind TINYINT NOT NULL,
	channel TEXT NOT NULL,
	segment TEXT NOT NULL,
	minute TIMESTAMP NOT NULL
);
INSERT INTO rollup_activity
WITH k AS (
	SELECT minute, customer_id, channel, segment FROM rollup_customer_minute
	GROUP BY ALL HAVING sum(acts) > 0
)
SELECT minute, customer_id, channel, segment,
	lag(minute) OVER (PARTITION BY customer_id ORDER BY minute, channel, segment),
	lag(minute) OVER (PARTITION BY customer_id, channel ORDER BY minute, segment),
	lag(minute) OVER (PARTITION BY customer_id, segment ORDER BY minute, channel),
	lag(minute) OVER (PARTITION BY customer_id, channel, segment ORDER BY minute)
FROM k ORDER BY minute;
INSERT INTO rollup_activity_last
SELECT customer_id, 0, channel, segment, max(minute) FROM rollup_activity GROUP BY customer_id, channel, segment
UNION ALL SELECT customer_id, 1, channel, '', max(minute) FROM rollup_activity GROUP BY customer_id, channel
UNION ALL SELECT customer_id, 2, '', segment, max(minute) FROM rollup_activity GROUP BY customer_id, segment
UNION ALL SELECT customer_id, 3, '', '', max(minute) FROM rollup_activity GROUP BY customer_id;
`
};
