// The synthetic event history the import benchmarks use, as one DuckDB SELECT: ten types in a fixed cycle,
// 200,000 customers, eight channels, a year of timestamps, tickets of two events, ratings in range.
// Rows i = 0 … n−1 stand at positions offset + i of a history of `span` events, so a later batch
// (offset = the history's size) continues the same year and ticket numbering. randomIds: event ids as
// 32 hex digits of md5 (like UUIDs or the SHA-256 ids of id-less events) instead of prefix + number.
export function syntheticEventsSql(o: { n: number; idPrefix?: string; offset?: number; span?: number; randomIds?: boolean }): string {
	const n = Math.trunc(o.n);
	const offset = Math.trunc(o.offset ?? 0);
	const span = Math.trunc(o.span ?? n);
	const prefix = (o.idPrefix ?? 'ev-').replace(/'/g, "''");
	const id = o.randomIds ? `md5('${prefix}' || i)` : `'${prefix}' || i`;
	return `SELECT ${id} AS event_id, 'c' || ((i * 7919) % 200000) AS customer_id,
		strftime(TIMESTAMP '2025-01-01' + to_seconds(((i + ${offset}) * 31536000 // ${span})::BIGINT), '%Y-%m-%dT%H:%M:%SZ') AS occurred_at,
		['web','app','email','phone','chat','social','store','other'][1 + i % 8] AS channel,
		['visit','visit','visit','purchase','support_opened','support_reply','survey_csat','survey_nps','complaint','refund'][1 + i % 10] AS type,
		CASE WHEN i % 10 IN (3, 9) THEN round((i % 200) + 0.99, 2) END AS value,
		CASE WHEN i % 10 = 6 THEN 1 + i % 5 WHEN i % 10 = 7 THEN i % 11 END AS rating,
		CASE WHEN i % 10 IN (4, 5) THEN 't' || ((i + ${offset}) // 20) END AS ticket_id,
		CASE WHEN i % 10 IN (4, 5) THEN 'a' || (i % 30) END AS agent_id
	FROM range(${n}) t(i)`;
}
