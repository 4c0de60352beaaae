// Bulk import of an events file: DuckDB reads it (CSV/NDJSON/Parquet, gzip ok), SQL validates it,
// and each chunk of rows is committed through the same commit path as the API (dedupe, customers,
// appliers) in its own transaction. Policy: valid rows are imported and rejected rows are listed
// with their file line; with `strict`, any rejected row means nothing is imported.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Db } from '../../db';
import { withScratchDb } from '../../db/scratch';
import { commitStage } from '../commit';
import { STAGE_TABLE } from '../stage';
import { canonicalColumnsProblem, firstLineOffset, loadCanonical, NO_EXTRA_COLUMNS, type ColumnMap, type ColumnUse } from './canonical';
import { CHECKED_TABLE, checkedSql } from './checked-sql';
import { loadOnlineRetail, onlineRetailColumnsProblem } from './online-retail';
import { formatFromName, unknownFormatMessage, type ImportFormat } from './reader';
import { findBadNdjsonLine } from './scan-ndjson';
import { rejectDeepAttrs } from './deep-attrs';
import { checkImportFile, notAFile, readErrorMessage } from './file-checks';
import { tuneForIngest } from '../tuning';
import { importMemoryLimit, isOutOfMemory, outOfMemoryMessage } from './memory-limit';
import { attachWorkspace, detachWorkspace } from './workspace';
import { createProblemTally, problemGroups, tallyProblems, type ImportErrorGroup } from './problem-tally';

export type { ImportErrorGroup };

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
	/** DuckDB memory_limit during the import (e.g. "2GB", at least 128MB); default IMPORT_MEMORY_LIMIT; restored afterwards. */
	memoryLimit?: string;
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
	/**
	 * The rejected rows grouped by problem, in the order each problem first occurs; at most `maxErrors`
	 * groups. A file of a million rows with the same mistake is one group, not a million lines.
	 */
	errorGroups: ImportErrorGroup[];
	/** How many different problems there were (groups beyond `errorGroups` included). */
	problemKinds: number;
	/** false when `strict` refused the file. */
	committed: boolean;
	/** The file's columns that are not event fields: kept in attrs, or bookkeeping of `cx export`. */
	columns: ColumnUse;
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

/**
 * Why `tz` cannot be the import's --timezone, or null: DuckDB's own zone list decides, as in the import.
 * The CLI asks before it starts, so a mistyped zone is a usage error like any other bad flag; asked of a
 * scratch database, since opening the target would create it at a new --db path before the refusal.
 */
export async function timeZoneProblem(tz: string): Promise<string | null> {
	const known = await withScratchDb((db) => db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM pg_timezone_names() WHERE name = $1', [tz]));
	return known?.n ? null : unknownTimeZone(tz);
}

const unknownTimeZone = (tz: string | undefined) => `--timezone: unknown time zone "${tz}" (use an IANA name such as Europe/London)`;

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

/** The checked-rows query (checked-sql.ts) for one import, with its fixed parameters. */
interface Checker {
	sql: string;
	source: string;
	now: string;
	/** First file line of row 0 (firstLineOffset). */
	offset: number;
	maxErrors: number;
	/** The workspace table that tallies the rejected rows by problem (problem-tally.ts). */
	problems: string;
}

async function checkRows(conn: DuckDBConnection, checker: Checker, lo: number, hi: number): Promise<void> {
	await conn.run(checker.sql, { lo, hi, source: checker.source, now: checker.now });
	await rejectDeepAttrs(conn);
}

/**
 * Checks rows [lo, hi) of the import's rows into conn's stage table (stage.ts). It reads only the import's
 * own rows and writes only conn's temp tables, so it needs no lock. Returns how many rows were rejected
 * and the first of their errors.
 */
async function prepareChunk(conn: DuckDBConnection, checker: Checker, lo: number, hi: number): Promise<{ bad: number; errors: ImportRowError[] }> {
	await checkRows(conn, checker, lo, hi);
	const bad = await scalar(conn, `SELECT count(*) FROM ${CHECKED_TABLE} WHERE err IS NOT NULL`);
	const errors = await collectErrors(conn, checker.offset, Math.min(bad, checker.maxErrors));
	if (bad > 0) await tallyProblems(conn, checker.problems, checker.offset);
	// First occurrence in file order wins, like the API's in-batch dedupe. The window that picks it
	// sorts the whole chunk, so it only runs when the chunk may repeat an id. Distinct 64-bit hashes
	// instead of the ids: equal ids always hash equal, so a repeat is never missed, and a collision
	// (a chance under 1 in 10^7 per 1 M-row chunk) only sends a chunk down the exact path. For 1 M random
	// 32-character ids: 48 ms instead of 85–250 ms alone, 0.39 s instead of 0.64 s inside an import.
	const repeats = await scalar(conn, `SELECT count(*) - count(DISTINCT hash(event_id)) FROM ${CHECKED_TABLE} WHERE err IS NULL`);
	// The checked rows have the stage's shape: without repeats they become the stage as they are.
	if (repeats > 0) {
		await conn.run(
			`CREATE OR REPLACE TEMP TABLE ${STAGE_TABLE} AS SELECT * FROM ${CHECKED_TABLE} WHERE err IS NULL
			QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY rn) = 1`
		);
		await conn.run(`DROP TABLE ${CHECKED_TABLE}`);
	} else {
		if (bad > 0) await conn.run(`DELETE FROM ${CHECKED_TABLE} WHERE err IS NOT NULL`);
		await conn.run(`ALTER TABLE ${CHECKED_TABLE} RENAME TO ${STAGE_TABLE}`);
	}
	return { bad, errors };
}

/** Why `preset` cannot be combined with the other options, or null: the preset reads its own CSV layout. */
export function presetConflict(opts: Pick<ImportOptions, 'preset' | 'format' | 'map'>): string | null {
	if (!opts.preset) return null;
	if (opts.format !== undefined && opts.format !== 'csv') return `--preset ${opts.preset} reads CSV; it cannot be combined with --format ${opts.format}`;
	if (opts.map && Object.keys(opts.map).length > 0) return `--preset ${opts.preset} knows its columns; it cannot be combined with --map`;
	return null;
}

/** Rows per committed chunk unless --chunk-rows says otherwise. */
export const DEFAULT_CHUNK_ROWS = 1_000_000;

/** An import that passed checkImport: what importChecked needs. */
export interface CheckedImport {
	format: ImportFormat;
	memoryLimit: string;
}

/**
 * What importFile refuses before it writes anything, asked without the database: the options, the file, and
 * its header against --map or the preset (read by a scratch database). The CLI asks first, so a refused
 * command leaves no new database behind at a new --db path.
 */
export async function checkImport(file: string, opts: ImportOptions = {}): Promise<{ ok: true; value: CheckedImport } | { ok: false; error: string }> {
	const conflict = presetConflict(opts);
	if (conflict) return { ok: false, error: conflict };
	const notFile = notAFile(file);
	if (notFile) return { ok: false, error: notFile };
	const format = opts.preset ? 'csv' : (opts.format ?? formatFromName(file));
	if (!format) return { ok: false, error: unknownFormatMessage(file) };
	// Before DuckDB reads it: very deep NDJSON crashes DuckDB's reader.
	const refused = await checkImportFile(file, format, { scanNdjson: !opts.preset });
	if (refused) return { ok: false, error: refused };
	const limit = importMemoryLimit(opts.memoryLimit);
	if (!limit.ok) return limit;
	const header = await headerProblem(file, format, opts);
	if (header) return { ok: false, error: header };
	return { ok: true, value: { format, memoryLimit: limit.value } };
}

/** The refusal importWithin would give for the file's header (the same words), read in a scratch database. */
function headerProblem(file: string, format: ImportFormat, opts: ImportOptions): Promise<string | null> {
	return withScratchDb((scratch) =>
		scratch.connect(async (conn) => {
			try {
				if (opts.preset === 'online-retail') {
					const p = await onlineRetailColumnsProblem(conn, file);
					return p && `cannot import ${file}: ${p}`;
				}
				const p = await canonicalColumnsProblem(conn, file, format, opts.map ?? {});
				if (p && format === 'ndjson') {
					// A line that is not an object makes DuckDB see one column named "json": name that line instead.
					const bad = await findBadNdjsonLine(file);
					if (!bad.ok) return `cannot read ${file} as ndjson: line ${bad.line}: ${bad.message}`;
				}
				return p;
			} catch (e) {
				return readErrorMessage(file, format, e);
			}
		})
	);
}

export async function importFile(db: Db, file: string, opts: ImportOptions = {}): Promise<ImportResult> {
	const checked = await checkImport(file, opts);
	return checked.ok ? importChecked(db, file, checked.value, opts) : checked;
}

/** importFile after checkImport said yes. */
export async function importChecked(db: Db, file: string, checked: CheckedImport, opts: ImportOptions = {}): Promise<ImportResult> {
	await tuneForIngest(db);
	// SET takes no parameters; the size was checked by checkImport.
	await db.run(`SET GLOBAL memory_limit = '${checked.memoryLimit}'`);
	try {
		return await importWithin(db, file, checked.format, opts);
	} catch (e) {
		if (isOutOfMemory(e)) return { ok: false, error: outOfMemoryMessage(checked.memoryLimit) };
		throw e;
	} finally {
		await db.restoreMemoryLimit();
	}
}

async function importWithin(db: Db, file: string, format: ImportFormat, opts: ImportOptions): Promise<ImportResult> {
	const source = opts.source ?? opts.preset ?? 'import';
	const chunkRows = opts.chunkRows ?? DEFAULT_CHUNK_ROWS;
	const maxErrors = opts.maxErrors ?? 100;
	const now = opts.now ?? new Date();
	const nowText = now.toISOString().replace('Z', '');
	// Two connections take turns: one validates chunk k+1 while the other commits chunk k.
	return db.connect((conn) => db.connect(async (other): Promise<ImportResult> => {
		const space = await attachWorkspace(conn);
		try {
			for (const c of [conn, other]) {
				if (!(await setTimeZone(c, opts.timezone ?? 'UTC'))) {
					return { ok: false, error: unknownTimeZone(opts.timezone) };
				}
			}
			let read: number;
			let dropped = 0;
			let idsFromContent = false;
			let columns = NO_EXTRA_COLUMNS;
			try {
				if (opts.preset === 'online-retail') {
					const p = await loadOnlineRetail(conn, file, space.canon);
					if (!p.ok) return { ok: false, error: `cannot import ${file}: ${p.error}` };
					read = p.value.rows;
					dropped = p.value.droppedNoCustomer;
				} else {
					const c = await loadCanonical(conn, file, format, opts.map ?? {}, space.canon);
					if (!c.ok && format === 'ndjson') {
						// A line that is not an object makes DuckDB see one column named "json": name that line instead.
						const bad = await findBadNdjsonLine(file);
						if (!bad.ok) return { ok: false, error: `cannot read ${file} as ndjson: line ${bad.line}: ${bad.message}` };
					}
					if (!c.ok) return c;
					read = c.value.rows;
					idsFromContent = c.value.idsFromContent;
					columns = c.value.columns;
				}
			} catch (e) {
				if (isOutOfMemory(e)) throw e;
				return { ok: false, error: await readErrorMessage(file, format, e) };
			}
			const total = await scalar(conn, `SELECT count(*) FROM ${space.canon}`);
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
				errorGroups: [],
				problemKinds: 0,
				committed: true,
				columns
			};
			const checker: Checker = { sql: checkedSql(space.canon, { sourceColumn: columns.sourceFromFile }), source, now: nowText, offset, maxErrors, problems: space.problems };
			await createProblemTally(conn, space.problems);
			const withProblems = async () => {
				const p = await problemGroups(conn, space.problems, maxErrors);
				return { ok: true as const, value: { ...summary, errorGroups: p.groups, problemKinds: p.kinds } };
			};
			if (opts.strict) {
				await checkRows(conn, checker, 0, total);
				summary.rejected = await scalar(conn, `SELECT count(*) FROM ${CHECKED_TABLE} WHERE err IS NOT NULL`);
				if (summary.rejected > 0) {
					summary.errors = await collectErrors(conn, offset, maxErrors);
					await tallyProblems(conn, space.problems, offset);
					summary.committed = false;
					return await withProblems();
				}
			}
			opts.onProgress?.({ done: 0, total, accepted: 0 });
			// Chunks take turns on the two connections: chunk k+1 is prepared while chunk k commits on the
			// other, overlapping the validation with the commit's many small statements, which leave a core
			// idle (an id-less import of 15 M events: CPU 24 % idle with the two in turn on one connection).
			// Commits stay in file order.
			let committing: Promise<void> = Promise.resolve();
			try {
				for (let k = 0, lo = 0; lo < total; k++, lo += chunkRows) {
					const hi = Math.min(total, lo + chunkRows);
					const c = k % 2 === 0 ? conn : other;
					const { bad, errors } = await prepareChunk(c, checker, lo, hi);
					await committing;
					summary.rejected += bad;
					summary.errors.push(...errors.slice(0, maxErrors - summary.errors.length));
					// Under the write lock, like every commit of events: it is what keeps event_id unique.
					committing = db
						.writeOn(c, () => commitStage(c, { received: [hi - lo - bad], idsFromContent }))
						.then(([counts]) => {
							summary.accepted += counts.accepted;
							summary.duplicates += counts.duplicates;
							opts.onProgress?.({ done: hi, total, accepted: summary.accepted });
						});
					// Awaited at the next turn or below; until then a failure must not count as unhandled.
					committing.catch(() => undefined);
				}
				await committing;
			} finally {
				await committing.catch(() => undefined);
			}
			return await withProblems();
		} finally {
			for (const c of [conn, other])
				for (const t of [CHECKED_TABLE, STAGE_TABLE]) await c.run(`DROP TABLE IF EXISTS ${t}`).catch(() => undefined);
			await detachWorkspace(conn, space).catch(() => undefined);
		}
	}));
}
