// The staging table every ingest path loads first (API batches through the appender, imports through
// DuckDB's file readers), so validation, dedupe and the commit are one code path.
import { DuckDBTimestampValue, type DuckDBConnection } from '@duckdb/node-api';
import type { NormalizedEvent } from './normalized-event';

export const STAGE_TABLE = '_ingest_stage';

/** Same columns as `events` minus source/ingested_at; attrs as text (cast to JSON on insert). */
export const STAGE_COLUMNS = `event_id TEXT, customer_id TEXT, occurred_at TIMESTAMP, channel TEXT, type TEXT,
	value DOUBLE, rating INTEGER, ticket_id TEXT, agent_id TEXT, attrs TEXT`;

export async function createStage(conn: DuckDBConnection): Promise<void> {
	await conn.run(`CREATE OR REPLACE TEMP TABLE ${STAGE_TABLE} (${STAGE_COLUMNS})`);
}

/** Bulk-loads validated events with DuckDB's appender (no per-row SQL). */
export async function appendToStage(conn: DuckDBConnection, events: readonly NormalizedEvent[]): Promise<void> {
	const app = await conn.createAppender(STAGE_TABLE, 'main', 'temp');
	try {
		for (const e of events) {
			app.appendVarchar(e.event_id);
			app.appendVarchar(e.customer_id);
			app.appendTimestamp(new DuckDBTimestampValue(BigInt(e.occurred_us)));
			app.appendVarchar(e.channel);
			app.appendVarchar(e.type);
			if (e.value === null) app.appendNull();
			else app.appendDouble(e.value);
			if (e.rating === null) app.appendNull();
			else app.appendInteger(e.rating);
			if (e.ticket_id === null) app.appendNull();
			else app.appendVarchar(e.ticket_id);
			if (e.agent_id === null) app.appendNull();
			else app.appendVarchar(e.agent_id);
			if (e.attrs === null) app.appendNull();
			else app.appendVarchar(e.attrs);
			app.endRow();
		}
		app.flushSync();
	} finally {
		app.closeSync();
	}
}

/** Keeps the first record of each event_id (in stage order), so in-batch repeats count as duplicates. */
export function dedupeInBatch(events: readonly NormalizedEvent[]): NormalizedEvent[] {
	const seen = new Set<string>();
	const out: NormalizedEvent[] = [];
	for (const e of events) {
		if (seen.has(e.event_id)) continue;
		seen.add(e.event_id);
		out.push(e);
	}
	return out;
}
