// What else happens, in the same transaction, when new events are committed: rollups, customer
// state, tolerance debt. Each applier reads the batch's *new* events (duplicates already removed)
// from a table with the columns of `events`, and updates its own tables with set-based SQL.
import type { DuckDBConnection } from '@duckdb/node-api';
import { toleranceApplier } from '../alerts/tolerance-applier';
import { customerStateApplier } from './customer-state-applier';
import { rollupApplier } from '../metrics/rollup-applier';

export interface IngestApplier {
	name: string;
	/** newEventsTable: a temp table (same columns as `events`) holding only this batch's new events. */
	apply: (conn: DuckDBConnection, newEventsTable: string) => Promise<void>;
}

/** Applied in this order. Add a module's applier here. */
export const APPLIERS: IngestApplier[] = [customerStateApplier, toleranceApplier, rollupApplier];
