// The staging table every ingest path loads first (API batches through the appender, imports through
// DuckDB's file readers), so validation, dedupe and the commit are one code path.
import { DuckDBTimestampValue, type DuckDBConnection } from '@duckdb/node-api';
import type { NormalizedEvent } from './normalized-event';

export const STAGE_TABLE = '_ingest_stage';

/**
 * The columns of `events`, plus _batch: which request of a group commit the row came from. The stage has
 * the shape of the new events so the commit can take it over without copying (see commit.ts).
 */
export const STAGE_COLUMNS = `event_id TEXT, customer_id TEXT, occurred_at TIMESTAMP, channel TEXT, type TEXT,
	value DOUBLE, rating INTEGER, ticket_id TEXT, agent_id TEXT, attrs JSON, source TEXT, ingested_at TIMESTAMP,
	_batch INTEGER`;

/** One request's validated events, staged together with others in a group commit. */
export interface StagedBatch {
	events: readonly NormalizedEvent[];
	source: string;
}

export async function createStage(conn: DuckDBConnection): Promise<void> {
	await conn.run(`CREATE OR REPLACE TEMP TABLE ${STAGE_TABLE} (${STAGE_COLUMNS})`);
}

/** Bulk-loads validated events with DuckDB's appender (no per-row SQL); batch i gets _batch = i. */
export async function appendToStage(conn: DuckDBConnection, batches: readonly StagedBatch[], ingestedAt: Date): Promise<void> {
	const app = await conn.createAppender(STAGE_TABLE, 'main', 'temp');
	const ingested = new DuckDBTimestampValue(BigInt(ingestedAt.getTime()) * 1000n);
	try {
		for (let b = 0; b < batches.length; b++) {
			const source = batches[b].source;
			for (const e of batches[b].events) {
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
				app.appendVarchar(source);
				app.appendTimestamp(ingested);
				app.appendInteger(b);
				app.endRow();
			}
		}
		app.flushSync();
	} finally {
		app.closeSync();
	}
}

/**
 * Keeps the first record of each event_id across the batches, in order, so a repeat (within a request
 * or in a later request of the same group) counts as a duplicate of the earlier one.
 */
export function dedupeBatches(batches: readonly StagedBatch[]): StagedBatch[] {
	const seen = new Set<string>();
	return batches.map((b) => {
		const events: NormalizedEvent[] = [];
		for (const e of b.events) {
			if (seen.has(e.event_id)) continue;
			seen.add(e.event_id);
			events.push(e);
		}
		return { events, source: b.source };
	});
}
