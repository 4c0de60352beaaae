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
	/** A new save moved the cursor back to the first customer during this run: it started over. */
	restarted: boolean;
}

export interface RecomputeOptions {
	/** Only customers of these segments (customers.segment); every customer when absent or empty. */
	segments?: readonly string[];
	/** Called after each committed chunk, and first with the customers already done when resuming. */
	onProgress?: (p: RecomputeProgress) => void;
	chunkCustomers?: number;
	/** Where to continue from, kept in each chunk's transaction; from the first customer, in memory, when absent. */
	cursor?: RecomputeCursor;
	/** Stops before the next chunk (throwing its reason); the chunks committed stay done, and the cursor says where. */
	signal?: AbortSignal;
}

/**
 * The position of a recompute: the last customer id done. Read and written inside each chunk's write
 * transaction, so the position is always that of the committed debt, and a save that moves it between
 * two chunks (back to the start) is followed.
 */
export interface RecomputeCursor {
	/** null = from the first customer; undefined = nothing (left) to do. */
	read(conn: DuckDBConnection): Promise<string | null | undefined>;
	/** The chunk's last customer id, or null when this chunk ended the recompute. */
	write(conn: DuckDBConnection, last: string | null): Promise<void>;
}

/** A cursor only this run knows (the CLI); `onEnd` runs in the last chunk's transaction. */
export function memoryCursor(onEnd?: (conn: DuckDBConnection) => Promise<void>): RecomputeCursor {
	let after: string | null | undefined = null;
	return {
		read: async () => after,
		async write(conn, last) {
			if (last === null) await onEnd?.(conn);
			after = last ?? undefined;
		}
	};
}

export interface RecomputeResult {
	customers: number;
	/** Customers who have debt after the recompute. */
	withDebt: number;
	seconds: number;
	/** False when the cursor was gone before the end: the recompute was taken over (a save of '*'). */
	ended: boolean;
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
 * Rebuilds the debt of every customer of `segments` (all when none), in chunks of customers, from where
 * the cursor says. Each chunk is one write transaction through Db.write, the lock ingest commits under, so
 * a chunk never interleaves with an ingest batch and readers see each customer either before or after,
 * never half-written; the cursor moves in the same transaction. Events ingested between chunks are counted
 * by ingest with the new settings, like any other.
 */
export async function recomputeDebt(db: Db, opts: RecomputeOptions = {}): Promise<RecomputeResult> {
	const t0 = Date.now();
	const size = opts.chunkCustomers ?? RECOMPUTE_CHUNK_CUSTOMERS;
	if (!Number.isInteger(size) || size < 1) throw new Error(`chunkCustomers must be a whole number ≥ 1, got ${size}`);
	const cursor = opts.cursor ?? memoryCursor();
	const f = segmentFilter(opts.segments);
	const p = f.params.length;
	const total = (await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM customers c WHERE ${f.sql}`, f.params))?.n ?? 0;
	let after = await db.connect((conn) => cursor.read(conn));
	let done = 0;
	let ended = false;
	let restarted = false;
	if (typeof after === 'string') {
		// Resumed: the customers before the cursor were done by an earlier run.
		const before = await db.one<{ n: number }>(
			`SELECT count(*)::INTEGER AS n FROM customers c WHERE ${f.sql} AND c.customer_id <= $${p + 1}`,
			[...f.params, after]
		);
		done = before?.n ?? 0;
		opts.onProgress?.({ done, total: Math.max(total, done), restarted });
	}
	while (after !== undefined && !ended) {
		opts.signal?.throwIfAborted();
		const chunk = await db.write(async (conn) => {
			const from = await cursor.read(conn);
			if (from === undefined) return null;
			const c = await rebuildChunk(conn, opts.segments, from, size);
			// A chunk short of the size had no customer after it: the end, recorded with the chunk.
			await cursor.write(conn, c.n === size ? c.last : null);
			return { ...c, from };
		});
		if (!chunk) break;
		// A new save of the same settings moved the cursor back to the start.
		if (chunk.from === null && after !== null) {
			done = 0;
			restarted = true;
		}
		done += chunk.n;
		after = chunk.last;
		ended = chunk.n < size;
		// Customers created by ingest meanwhile may push done past the starting count.
		if (chunk.n) opts.onProgress?.({ done, total: Math.max(total, done), restarted });
	}
	const withDebt =
		(
			await db.one<{ n: number }>(
				`SELECT count(*)::INTEGER AS n FROM customer_debt d JOIN customers c ON c.customer_id = d.customer_id WHERE ${f.sql}`,
				f.params
			)
		)?.n ?? 0;
	return { customers: done, withDebt, seconds: (Date.now() - t0) / 1000, ended };
}
