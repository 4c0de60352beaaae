// The debt recomputes still owed (table debt_recompute_pending). A tolerance save writes its marker in the
// save's own transaction and each recomputed chunk moves the marker's cursor in the chunk's transaction, so
// whatever stops the server, a committed save always has a recompute owed from where the committed debt
// stands; the server resumes them at start (debt-recompute-resume.ts).
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Db } from '../db';
import type { RecomputeCursor } from './debt-recompute';

/** The table's key for "every customer" (a save of the '*' defaults, which any segment may fall back on). */
const EVERY_CUSTOMER = '*';

export interface PendingRecompute {
	/** The segments owed; null = every customer. */
	segments: string[] | null;
	/** When the settings were saved (UTC, to the minute), for the log. */
	savedAt: string;
	/** The last customer id recomputed; null = not started. */
	after: string | null;
	key: string;
}

/**
 * Owes a recompute of `segments`' customers (null = everyone), from the first customer: inside the
 * settings save's transaction. A save restarts its segment, since all its customers must get the newest
 * settings; a save of everyone replaces every marker, as its recompute covers them all.
 */
export async function owePendingRecomputeIn(conn: DuckDBConnection, segment: string | null): Promise<void> {
	if (segment === null) await conn.run('DELETE FROM debt_recompute_pending WHERE segment <> $1', [EVERY_CUSTOMER]);
	await conn.run(
		`INSERT OR REPLACE INTO debt_recompute_pending (segment, requested_at, after_customer_id) VALUES ($1, now() AT TIME ZONE 'UTC', NULL)`,
		[segment ?? EVERY_CUSTOMER]
	);
}

/** The recomputes owed, in the order they are done: everyone's first (it covers the rest), then oldest first. */
export async function pendingRecomputes(db: Db): Promise<PendingRecompute[]> {
	const rows = await db.all<{ segment: string; saved_at: string; after_customer_id: string | null }>(
		`SELECT segment, strftime(requested_at, '%Y-%m-%d %H:%M') AS saved_at, after_customer_id
		FROM debt_recompute_pending ORDER BY segment <> $1, requested_at, segment`,
		[EVERY_CUSTOMER]
	);
	return rows.map((r) => ({
		segments: r.segment === EVERY_CUSTOMER ? null : [r.segment],
		savedAt: r.saved_at,
		after: r.after_customer_id,
		key: r.segment
	}));
}

/** The cursor of a marker: gone (undefined) once the recompute ended or a save of everyone replaced it. */
export function pendingCursor(p: PendingRecompute): RecomputeCursor {
	return {
		async read(conn) {
			const rows = (
				await conn.runAndReadAll('SELECT after_customer_id FROM debt_recompute_pending WHERE segment = $1', [p.key])
			).getRows();
			return rows.length ? ((rows[0][0] as string | null) ?? null) : undefined;
		},
		async write(conn, last) {
			if (last === null) await conn.run('DELETE FROM debt_recompute_pending WHERE segment = $1', [p.key]);
			else await conn.run('UPDATE debt_recompute_pending SET after_customer_id = $2 WHERE segment = $1', [p.key, last]);
		}
	};
}

/**
 * Settles the markers a recompute just done covers (`cx recompute-debt`): every marker after a recompute
 * of everyone; else the given segments' own (a pending everyone's stays owed).
 */
export async function settlePendingRecomputesIn(conn: DuckDBConnection, segments: readonly string[] | null): Promise<void> {
	if (segments === null) await conn.run('DELETE FROM debt_recompute_pending');
	else if (segments.length)
		await conn.run(
			`DELETE FROM debt_recompute_pending WHERE segment IN (${segments.map((_, i) => `$${i + 1}`).join(', ')})`,
			[...segments]
		);
}
