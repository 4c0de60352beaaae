// `cx import-customers FILE`: DuckDB reads the file (CSV/NDJSON/Parquet, gzip ok) and every value comes
// out as the text the file holds, so ids such as 1.50 or 12345678901234567890 are stored as written and
// one bad number does not make DuckDB type (and us reject) the whole column. upsertCustomers validates.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Db } from '../db';
import { withScratchDb } from '../db/scratch';
import { firstLineOffset } from '../ingest/import/canonical';
import { checkImportFile, readErrorMessage } from '../ingest/import/file-checks';
import { describeFile, ident, readerSql, type ImportFormat } from '../ingest/import/reader';
import { MAX_ERRORS } from '../ingest/limits';
import type { RecordError } from '../../shared/events';
import { upsertCustomers } from './upsert-customers';
import { CUSTOMER_FIELDS, validateCustomers } from './validate-customer';

export interface CustomerRowError {
	line: number;
	field: string;
	message: string;
}

export type CustomerFileResult =
	| { ok: true; value: { read: number; inserted: number; updated: number } }
	| {
			ok: false;
			error: string;
			/** Present when rows were rejected (nothing is imported then); `capped`: more problems than listed. */
			rejected?: { rows: number; errors: CustomerRowError[]; capped: boolean };
	  };

const NUMERIC = new Set(['monthly_value', 'tolerance']);
/** A plain decimal number as files write it; anything else stays text and is rejected with what it says. */
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** NDJSON values that are not text or a number: handed over as JSON so validation names the wrong type. */
const NOT_SCALAR = `('OBJECT', 'ARRAY', 'BOOLEAN')`;

function fileValue(name: string, text: string | null, json: string | null): unknown {
	if (json !== null) return JSON.parse(json) as unknown;
	if (text === null) return undefined;
	// 1e400 stays text: validation then shows what the file says instead of JSON's null for Infinity.
	if (NUMERIC.has(name) && NUMBER_TEXT.test(text.trim()) && Number.isFinite(Number(text.trim()))) return Number(text.trim());
	if (name === 'attrs') {
		try {
			return JSON.parse(text) as unknown;
		} catch {
			return text;
		}
	}
	return text;
}

async function readRecords(conn: DuckDBConnection, file: string, format: ImportFormat): Promise<{ ok: true; value: Record<string, unknown>[] } | { ok: false; error: string }> {
	const cols = await describeFile(conn, file, format);
	if (!cols.some((c) => c.name === 'customer_id')) {
		return { ok: false, error: `${file} has no column customer_id (file columns: ${cols.map((c) => c.name).join(', ')})` };
	}
	// Once for the file, not once per row: every row would be rejected for the same column.
	const unknown = cols.map((c) => c.name).filter((n) => !(CUSTOMER_FIELDS as readonly string[]).includes(n));
	if (unknown.length) {
		return { ok: false, error: `${file} has columns that are not customer fields: ${unknown.join(', ')} (fields: ${CUSTOMER_FIELDS.join(', ')}; put anything else in an attrs column as a JSON object)` };
	}
	const select = cols.flatMap((c, i) => {
		const id = ident(c.name);
		if (c.type === 'JSON') {
			if (c.name === 'attrs') return [`${id}::VARCHAR AS t${i}`, `NULL AS j${i}`];
			return [`CASE WHEN json_type(${id}) NOT IN ${NOT_SCALAR} THEN json_extract_string(${id}, '$') END AS t${i}`, `CASE WHEN json_type(${id}) IN ${NOT_SCALAR} THEN ${id}::VARCHAR END AS j${i}`];
		}
		// Parquet structs and lists: JSON text, like NDJSON objects.
		if (c.name === 'attrs' && !/^VARCHAR/.test(c.type)) return [`to_json(${id})::VARCHAR AS t${i}`, `NULL AS j${i}`];
		return [`${id}::VARCHAR AS t${i}`, `NULL AS j${i}`];
	});
	const r = await conn.runAndReadAll(`SELECT ${select.join(', ')} FROM ${readerSql(format)}`, { file });
	const records = r.getRows().map((row) => {
		const o: Record<string, unknown> = {};
		cols.forEach((c, i) => {
			const v = fileValue(c.name, row[2 * i] as string | null, row[2 * i + 1] as string | null);
			if (v !== undefined) o[c.name] = v;
		});
		return o;
	});
	return { ok: true, value: records };
}

/**
 * Rows whose customer_id an earlier row of the file has. The API keeps the last of a batch's repeats, but a
 * file that lists a customer twice is more likely a bad export or join than a correction: which row should
 * win is a guess, so the file is refused and both lines named.
 */
function repeatedIds(records: Record<string, unknown>[], firstLine: number): RecordError[] {
	const seen = new Map<string, number>();
	const errors: RecordError[] = [];
	records.forEach((r, i) => {
		const id = r.customer_id;
		if (typeof id !== 'string' || id === '') return;
		const at = seen.get(id);
		if (at === undefined) seen.set(id, i);
		else errors.push({ index: i, field: 'customer_id', message: `"${id}" is already on line ${at + firstLine} (one row per customer in a file)` });
	});
	return errors;
}

function refusal(errors: RecordError[], first: number, capped: boolean): Extract<CustomerFileResult, { ok: false }> {
	const rows = new Set(errors.map((e) => e.index)).size;
	return {
		ok: false,
		error: `${capped ? 'at least ' : ''}${rows} row(s) rejected; nothing imported`,
		rejected: { rows, capped, errors: errors.map((e) => ({ line: e.index + first, field: e.field, message: e.message })) }
	};
}

/**
 * The file's customers, read and checked without the database (a scratch database reads the file), so the CLI
 * refuses a file before a new --db path becomes a database; nothing is imported when any row is refused.
 */
export async function readCustomersFile(
	file: string,
	format: ImportFormat
): Promise<{ ok: true; value: Record<string, unknown>[] } | Extract<CustomerFileResult, { ok: false }>> {
	const refused = await checkImportFile(file, format, { scanNdjson: true });
	if (refused) return { ok: false, error: refused };
	let records: Record<string, unknown>[];
	try {
		const read = await withScratchDb((scratch) => scratch.connect((conn) => readRecords(conn, file, format)));
		if (!read.ok) return read;
		records = read.value;
	} catch (e) {
		return { ok: false, error: await readErrorMessage(file, format, e) };
	}
	const first = firstLineOffset(format);
	// Repeated ids with the other problems of the file, so one run lists everything to fix.
	const v = validateCustomers(records);
	const all = [...(v.ok ? [] : v.errors), ...repeatedIds(records, first)].sort((a, b) => a.index - b.index);
	if (all.length) return refusal(all.slice(0, MAX_ERRORS), first, all.length > MAX_ERRORS || (!v.ok && v.errors.length >= MAX_ERRORS));
	return { ok: true, value: records };
}

/** Upserts the customers of a file that readCustomersFile accepted. */
export async function importCustomerRecords(db: Db, records: Record<string, unknown>[], format: ImportFormat): Promise<CustomerFileResult> {
	const r = await upsertCustomers(db, records);
	if (!r.ok) return refusal(r.errors, firstLineOffset(format), r.errors.length >= MAX_ERRORS);
	return { ok: true, value: { read: records.length, ...r.value } };
}

export async function importCustomersFile(db: Db, file: string, format: ImportFormat): Promise<CustomerFileResult> {
	const read = await readCustomersFile(file, format);
	return read.ok ? importCustomerRecords(db, read.value, format) : read;
}
