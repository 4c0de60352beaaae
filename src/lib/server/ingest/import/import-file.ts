// Bulk import of an events file: DuckDB reads it (CSV/NDJSON/Parquet, gzip ok), SQL validates it,
// and each chunk of rows is committed through the same commit path as the API (dedupe, customers,
// appliers) in its own transaction. Policy: valid rows are imported and rejected rows are listed
// with their file line; with `strict`, any rejected row means nothing is imported.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Db } from '../../db';
import { commitStage } from '../commit';
import { STAGE_TABLE } from '../stage';
import { CANON_TABLE, firstLineOffset, loadCanonical, type ColumnMap } from './canonical';
import { CHECKED_SQL, CHECKED_TABLE } from './checked-sql';
import { loadOnlineRetail } from './online-retail';
import { formatFromName, type ImportFormat } from './reader';
import { tuneForIngest } from '../tuning';

export const PRESETS = ['online-retail'] as const;
export type Preset = (typeof PRESETS)[number];

export interface ImportOptions {
	format?: ImportFormat;
	map?: ColumnMap;
	/** Part of derived event ids and stored with each event; default 'import' (or the preset's name). */
	source?: string;
	/** IANA zone for timestamps without an offset (default UTC). */
	timezone?: string;
	preset?: Preset;
	strict?: boolean;
	chunkRows?: number;
	now?: Date;
	/** At most this many rejected rows are listed (all are counted). */
	maxErrors?: number;
	onProgress?: (p: { done: number; total: number; accepted: number }) => void;
}

export interface ImportRowError {
	line: number;
	field: string;
	message: string;
}

export interface ImportSummary {
	file: string;
	format: ImportFormat;
	/** Data rows read from the file. */
	read: number;
	/** Events built from them (differs from `read` for presets that aggregate). */
	records: number;
	accepted: number;
	duplicates: number;
	rejected: number;
	/** Rows the preset dropped on purpose (no customer). */
	dropped: number;
	errors: ImportRowError[];
	/** false when `strict` refused the file. */
	committed: boolean;
}

export type ImportResult = { ok: true; value: ImportSummary } | { ok: false; error: string };

async function scalar(conn: DuckDBConnection, sql: string): Promise<number> {
	return Number((await conn.runAndReadAll(sql)).getRows()[0][0]);
}

async function setTimeZone(conn: DuckDBConnection, tz: string): Promise<boolean> {
	const known = await conn.runAndReadAll('SELECT count(*) FROM pg_timezone_names() WHERE name = $1', [tz]);
	if (Number(known.getRows()[0][0]) === 0) return false;
	// SET takes no parameters; tz is one of DuckDB's own zone names, checked just above.
	await conn.run(`SET TimeZone = '${tz.replace(/'/g, "''")}'`);
	return true;
}

async function collectErrors(conn: DuckDBConnection, offset: number, limit: number): Promise<ImportRowError[]> {
	if (limit <= 0) return [];
	const r = await conn.runAndReadAll(
		`SELECT coalesce(_line, rn + ${offset}) AS line, err FROM ${CHECKED_TABLE} WHERE err IS NOT NULL ORDER BY rn LIMIT ${limit}`
	);
	return r.getRowObjectsJS().map((row) => {
		const err = String(row.err);
		const bar = err.indexOf('|');
		return { line: Number(row.line), field: err.slice(0, bar), message: err.slice(bar + 1) };
	});
}

export async function importFile(db: Db, file: string, opts: ImportOptions = {}): Promise<ImportResult> {
	const format = opts.preset ? 'csv' : (opts.format ?? formatFromName(file));
	if (!format) return { ok: false, error: `cannot tell the format of ${file}; pass --format csv|ndjson|parquet` };
	const source = opts.source ?? opts.preset ?? 'import';
	const chunkRows = opts.chunkRows ?? 1_000_000;
	const maxErrors = opts.maxErrors ?? 100;
	const now = opts.now ?? new Date();
	const nowText = now.toISOString().replace('Z', '');
	await tuneForIngest(db);
	return db.connect(async (conn): Promise<ImportResult> => {
		try {
			if (!(await setTimeZone(conn, opts.timezone ?? 'UTC'))) {
				return { ok: false, error: `unknown time zone "${opts.timezone}" (use an IANA name such as Europe/London)` };
			}
			let read: number;
			let dropped = 0;
			try {
				if (opts.preset === 'online-retail') {
					const p = await loadOnlineRetail(conn, file);
					read = p.rows;
					dropped = p.droppedNoCustomer;
				} else {
					const c = await loadCanonical(conn, file, format, opts.map ?? {});
					if (!c.ok) return c;
					read = c.value.rows;
				}
			} catch (e) {
				return { ok: false, error: `cannot read ${file} as ${format}: ${e instanceof Error ? e.message : String(e)}` };
			}
			const total = await scalar(conn, `SELECT count(*) FROM ${CANON_TABLE}`);
			const offset = firstLineOffset(format);
			const summary: ImportSummary = {
				file,
				format,
				read,
				records: total,
				accepted: 0,
				duplicates: 0,
				rejected: 0,
				dropped,
				errors: [],
				committed: true
			};
			const check = (lo: number, hi: number) => conn.run(CHECKED_SQL, { lo, hi, source, now: nowText });
			if (opts.strict) {
				await check(0, total);
				summary.rejected = await scalar(conn, `SELECT count(*) FROM ${CHECKED_TABLE} WHERE err IS NOT NULL`);
				if (summary.rejected > 0) {
					summary.errors = await collectErrors(conn, offset, maxErrors);
					summary.committed = false;
					return { ok: true, value: summary };
				}
			}
			opts.onProgress?.({ done: 0, total, accepted: 0 });
			for (let lo = 0; lo < total; lo += chunkRows) {
				const hi = Math.min(total, lo + chunkRows);
				await conn.run('BEGIN TRANSACTION');
				try {
					await check(lo, hi);
					const bad = await scalar(conn, `SELECT count(*) FROM ${CHECKED_TABLE} WHERE err IS NOT NULL`);
					summary.rejected += bad;
					summary.errors.push(...(await collectErrors(conn, offset, Math.min(bad, maxErrors - summary.errors.length))));
					// First occurrence in file order wins, like the API's in-batch dedupe.
					await conn.run(
						`CREATE OR REPLACE TEMP TABLE ${STAGE_TABLE} AS
						SELECT event_id, customer_id, occurred_at, channel, type, value, rating, ticket_id, agent_id, attrs,
							$source::TEXT AS source, 0 AS _batch
						FROM ${CHECKED_TABLE} WHERE err IS NULL
						QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY rn) = 1`,
						{ source }
					);
					const [c] = await commitStage(conn, { ingestedAt: now, received: [hi - lo - bad] });
					summary.accepted += c.accepted;
					summary.duplicates += c.duplicates;
					await conn.run(`DROP TABLE ${STAGE_TABLE}`);
					await conn.run(`DROP TABLE ${CHECKED_TABLE}`);
					await conn.run('COMMIT');
				} catch (e) {
					await conn.run('ROLLBACK').catch(() => undefined);
					throw e;
				}
				opts.onProgress?.({ done: hi, total, accepted: summary.accepted });
			}
			return { ok: true, value: summary };
		} finally {
			for (const t of [CHECKED_TABLE, CANON_TABLE, STAGE_TABLE]) await conn.run(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
		}
	});
}
