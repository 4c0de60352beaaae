// Events of a time range as a Parquet file (DESIGN §10 `GET /export/events.parquet?from&to`, and
// `cx export`): DuckDB writes the file itself, with the range bound as parameters; the caller streams or
// keeps it. Columns are those of `events`, ordered by time.
import type { Db } from '../db';
import { microsToIso, parseIsoMicros } from '../ingest/timestamp';
import type { Result } from '../churn/registry';

export interface ExportRange {
	/** Inclusive, ISO-8601; absent = from the first event. */
	from: string | null;
	/** Exclusive, ISO-8601; absent = up to now (everything stored). */
	to: string | null;
}

/**
 * Checks the range and turns it into bound timestamps ('YYYY-MM-DD HH:MM:SS.ffffff', UTC). `names` are
 * how the caller's user spells the bounds in messages (query parameters, or the CLI's --from/--to).
 */
export function parseExportRange(r: ExportRange, names: { from: string; to: string } = { from: 'from', to: 'to' }): Result<{ from: string | null; to: string | null }> {
	const one = (key: 'from' | 'to', v: string | null): Result<string | null> => {
		const name = names[key];
		if (v === null || v === '') return { ok: true, value: null };
		const us = parseIsoMicros(v);
		if (us === null) return { ok: false, error: `${name} must be an ISO-8601 date or timestamp (e.g. 2026-01-31 or 2026-01-31T12:00:00Z), not "${v.slice(0, 40)}"` };
		return { ok: true, value: microsToIso(us).replace('T', ' ').replace('Z', '') };
	};
	const from = one('from', r.from);
	if (!from.ok) return from;
	const to = one('to', r.to);
	if (!to.ok) return to;
	if (from.value !== null && to.value !== null && from.value >= to.value) return { ok: false, error: `${names.from} must be before ${names.to}` };
	return { ok: true, value: { from: from.value, to: to.value } };
}

/** Writes the range's events to `outPath` (overwritten); returns the row count. */
export async function exportEventsParquet(db: Db, range: ExportRange, outPath: string): Promise<Result<{ rows: number }>> {
	const r = parseExportRange(range);
	if (!r.ok) return r;
	const where = `($from::TIMESTAMP IS NULL OR occurred_at >= $from::TIMESTAMP) AND ($to::TIMESTAMP IS NULL OR occurred_at < $to::TIMESTAMP)`;
	// The path is ours (a temp file or the CLI user's own argument), never request input; quotes are doubled.
	const target = `'${outPath.replaceAll("'", "''")}'`;
	await db.run(`COPY (SELECT * FROM events WHERE ${where} ORDER BY occurred_at, event_id) TO ${target} (FORMAT parquet, COMPRESSION zstd)`, r.value);
	const n = await db.one<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM read_parquet(${target})`);
	return { ok: true, value: { rows: Number(n?.n ?? 0) } };
}
