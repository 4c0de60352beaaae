// Rebuilds stored experience debt (customer_debt, debt_contributions) from the stored events under the
// current tolerance settings (DESIGN §5), after an admin changed weights, half-life or SLA, or to repair
// rows written by an older version. Ingest only ever adds to a customer's debt with the settings of the
// moment, so without this the alerts and lists keep the old settings' debt while the customer page
// (which draws from the events) shows the new one.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Db } from '../db';
import { applyToleranceDebt } from './tolerance-applier';

/** Customers per transaction: bounds the events one chunk holds in memory (demo: ~400 events a customer). */
export const RECOMPUTE_CHUNK_CUSTOMERS = 1_000;

export interface RecomputeProgress {
	/** Customers rebuilt so far, and how many there were when the recompute started. */
	done: number;
	total: number;
}

export interface RecomputeOptions {
	/** Only customers of these segments (customers.segment); every customer when absent or empty. */
	segments?: readonly string[];
	/** Called after each committed chunk. */
	onProgress?: (p: RecomputeProgress) => void;
	chunkCustomers?: number;
}

export interface RecomputeResult {
	customers: number;
	/** Customers who have debt after the recompute. */
	withDebt: number;
	seconds: number;
}

const CHUNK_IDS = '_recompute_ids';
const CHUNK_EVENTS = '_recompute_events';

/** The segment filter on customers c (same segment expression as the applier), with its parameters from $1. */
function segmentFilter(segments: readonly string[] | undefined): { sql: string; params: string[] } {
	if (!segments?.length) return { sql: 'true', params: [] };
	return { sql: `coalesce(c.segment, 'default') IN (${segments.map((_, i) => `$${i + 1}`).join(', ')})`, params: [...segments] };
}

/**
 * One chunk, the customers after `after` in id order: their stored debt and contributions are removed and
 * their events go through the ingest applier as one batch. With nothing stored for them, the applier starts
 * from zero debt and walks every contribution in time order, which is exactly what ingesting the events in
 * time order into an empty database gives; reusing it keeps one copy of the arithmetic. Returns the chunk's
 * size and last id (null when no customer is left).
 */
async function rebuildChunk(
	conn: DuckDBConnection,
	segments: readonly string[] | undefined,
	after: string | null,
	size: number
): Promise<{ n: number; last: string | null }> {
	const f = segmentFilter(segments);
	const p = f.params.length;
	await conn.run(
		`CREATE OR REPLACE TEMP TABLE ${CHUNK_IDS} AS
		SELECT c.customer_id FROM customers c
		WHERE ${f.sql} AND ($${p + 1}::TEXT IS NULL OR c.customer_id > $${p + 1}::TEXT)
		ORDER BY c.customer_id LIMIT $${p + 2}`,
		[...f.params, after, size]
	);
	try {
		const [n, last] = (await conn.runAndReadAll(`SELECT count(*)::INTEGER, max(customer_id) FROM ${CHUNK_IDS}`)).getRows()[0];
		if (!n) return { n: 0, last: null };
		await conn.run(`DELETE FROM debt_contributions WHERE customer_id IN (SELECT customer_id FROM ${CHUNK_IDS})`);
		await conn.run(`DELETE FROM customer_debt WHERE customer_id IN (SELECT customer_id FROM ${CHUNK_IDS})`);
		await conn.run(
			`CREATE OR REPLACE TEMP TABLE ${CHUNK_EVENTS} AS
			SELECT * FROM events WHERE customer_id IN (SELECT customer_id FROM ${CHUNK_IDS})`
		);
		await applyToleranceDebt(conn, CHUNK_EVENTS);
		return { n: Number(n), last: String(last) };
	} finally {
		await conn.run(`DROP TABLE IF EXISTS ${CHUNK_EVENTS}`).catch(() => undefined);
		await conn.run(`DROP TABLE IF EXISTS ${CHUNK_IDS}`).catch(() => undefined);
	}
}

/**
 * Rebuilds the debt of every customer of `segments` (all when none), in chunks of customers. Each chunk
 * is one write transaction through Db.write, the lock ingest commits under, so a chunk never interleaves
 * with an ingest batch and readers see each customer either before or after, never half-written. Events
 * ingested between chunks are counted by ingest with the new settings, like any other.
 */
export async function recomputeDebt(db: Db, opts: RecomputeOptions = {}): Promise<RecomputeResult> {
	const t0 = Date.now();
	const size = opts.chunkCustomers ?? RECOMPUTE_CHUNK_CUSTOMERS;
	if (!Number.isInteger(size) || size < 1) throw new Error(`chunkCustomers must be a whole number ≥ 1, got ${size}`);
	const f = segmentFilter(opts.segments);
	const total = (await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM customers c WHERE ${f.sql}`, f.params))?.n ?? 0;
	let done = 0;
	let after: string | null = null;
	for (;;) {
		const chunk = await db.write((conn) => rebuildChunk(conn, opts.segments, after, size));
		if (!chunk.n) break;
		done += chunk.n;
		after = chunk.last;
		// Customers created by ingest meanwhile may push done past the starting count.
		opts.onProgress?.({ done, total: Math.max(total, done) });
	}
	const withDebt =
		(
			await db.one<{ n: number }>(
				`SELECT count(*)::INTEGER AS n FROM customer_debt d JOIN customers c ON c.customer_id = d.customer_id WHERE ${f.sql}`,
				f.params
			)
		)?.n ?? 0;
	return { customers: done, withDebt, seconds: (Date.now() - t0) / 1000 };
}
