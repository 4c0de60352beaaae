// The one commit path (API, import, demo): staged events → events (new ones only) → customers with
// defaults → every applier, inside the caller's write transaction.
import type { DuckDBConnection } from '@duckdb/node-api';
import { APPLIERS } from './appliers';
import { STAGE_TABLE } from './stage';

export const NEW_EVENTS_TABLE = '_ingest_new';

export interface CommitCounts {
	accepted: number;
	duplicates: number;
}

async function count(conn: DuckDBConnection, sql: string): Promise<number> {
	const r = await conn.runAndReadAll(sql);
	return Number(r.getRows()[0][0]);
}

/**
 * Commits the staged rows (which must already be free of in-batch duplicates). `staged` is the number
 * of records the caller received, so in-batch repeats are reported as duplicates too.
 */
export async function commitStage(
	conn: DuckDBConnection,
	opts: { source: string; ingestedAt: Date; staged: number }
): Promise<CommitCounts> {
	// An anti-join against the primary key finds the new events; the hash table is built on the
	// (small) batch side and probed by a scan of events.event_id.
	await conn.run(
		`CREATE OR REPLACE TEMP TABLE ${NEW_EVENTS_TABLE} AS
		SELECT s.event_id, s.customer_id, s.occurred_at, s.channel, s.type, s.value, s.rating, s.ticket_id,
			s.agent_id, s.attrs::JSON AS attrs, $source::TEXT AS source, $ingested::TIMESTAMP AS ingested_at
		FROM ${STAGE_TABLE} s WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = s.event_id)`,
		{ source: opts.source, ingested: opts.ingestedAt.toISOString().replace('Z', '') }
	);
	const accepted = await count(conn, `SELECT count(*) FROM ${NEW_EVENTS_TABLE}`);
	if (accepted > 0) {
		await conn.run(`INSERT INTO events SELECT * FROM ${NEW_EVENTS_TABLE}`);
		await conn.run(
			`INSERT INTO customers (customer_id) SELECT DISTINCT customer_id FROM ${NEW_EVENTS_TABLE} ON CONFLICT DO NOTHING`
		);
		for (const applier of APPLIERS) await applier.apply(conn, NEW_EVENTS_TABLE);
	}
	await conn.run(`DROP TABLE IF EXISTS ${NEW_EVENTS_TABLE}`);
	return { accepted, duplicates: opts.staged - accepted };
}
