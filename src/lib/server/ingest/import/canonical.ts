// Loads a file into the import's canonical table (workspace.ts): the DESIGN §3 columns as text (after
// --map renames) plus the file line of each row, so the SQL validation and error messages work the same
// for every format.
import type { DuckDBConnection } from '@duckdb/node-api';
import { describeFile, ident, readerSql, type ImportFormat, type ReaderOptions } from './reader';

export const CANON_FIELDS = [
	'event_id',
	'customer_id',
	'occurred_at',
	'channel',
	'type',
	'value',
	'rating',
	'ticket_id',
	'agent_id',
	'attrs'
] as const;

export type ColumnMap = Record<string, string>;

/** idsFromContent: the file has no event_id column, so every id will be derived from the record. */
export type CanonResult = { ok: true; value: { rows: number; idsFromContent: boolean } } | { ok: false; error: string };

/** Parses `to=from,to=from`. */
export function parseMap(spec: string | undefined): { ok: true; value: ColumnMap } | { ok: false; error: string } {
	const map: ColumnMap = {};
	if (!spec) return { ok: true, value: map };
	for (const part of spec.split(',')) {
		const [to, from] = part.split('=').map((s) => s.trim());
		if (!to || !from) return { ok: false, error: `--map expects to=from pairs separated by commas, got "${part}"` };
		if (!(CANON_FIELDS as readonly string[]).includes(to)) {
			return { ok: false, error: `--map: "${to}" is not an event field (${CANON_FIELDS.join(', ')})` };
		}
		map[to] = from;
	}
	return { ok: true, value: map };
}

const REQUIRED = ['customer_id', 'occurred_at', 'type'] as const;
/** Fields whose value must be a JSON scalar in NDJSON (an object or array there is a wrong type, not text). */
const SCALAR_FIELDS = CANON_FIELDS.filter((f) => f !== 'attrs');

async function describeWithFallback(
	conn: DuckDBConnection,
	file: string,
	format: ImportFormat,
	map: ColumnMap
): Promise<{ cols: { name: string; type: string }[]; opts: ReaderOptions }> {
	const has = (cols: { name: string }[]) => REQUIRED.every((f) => cols.some((c) => c.name === (map[f] ?? f)));
	let first: { name: string; type: string }[] | null = null;
	try {
		first = await describeFile(conn, file, format);
		if (format !== 'csv' || has(first)) return { cols: first, opts: {} };
	} catch (e) {
		if (format !== 'csv') throw e;
	}
	// Rows shorter or longer than the header (a cut last line, a stray comma) make the sniffer give up
	// on the header; read again padding short rows with NULLs, so they are rejected by line instead.
	try {
		const padded = await describeFile(conn, file, format, { nullPadding: true });
		if (first === null || has(padded)) return { cols: padded, opts: { nullPadding: true } };
	} catch (e) {
		if (first === null) throw e;
	}
	return { cols: first, opts: {} };
}

export async function loadCanonical(
	conn: DuckDBConnection,
	file: string,
	format: ImportFormat,
	map: ColumnMap,
	canon: string
): Promise<CanonResult> {
	const { cols, opts } = await describeWithFallback(conn, file, format, map);
	const byName = new Map(cols.map((c) => [c.name, c]));
	const missing = Object.entries(map).filter(([, from]) => !byName.has(from));
	if (missing.length) {
		return { ok: false, error: `--map names columns the file does not have: ${missing.map(([, f]) => f).join(', ')} (file columns: ${cols.map((c) => c.name).join(', ')})` };
	}
	const select = CANON_FIELDS.map((field) => {
		const col = byName.get(map[field] ?? field);
		if (!col) return `NULL::VARCHAR AS ${field}`;
		const id = ident(col.name);
		// Nested values (NDJSON objects, Parquet structs) become JSON text; everything else its text form.
		if (field === 'attrs' && !/^VARCHAR/.test(col.type)) return `to_json(${id})::VARCHAR AS attrs`;
		// NDJSON is read with depth 1, so top-level values arrive as JSON: take their scalar text.
		if (col.type === 'JSON') return `json_extract_string(${id}, '$') AS ${field}`;
		return `${id}::VARCHAR AS ${field}`;
	});
	// NDJSON: an object, array or boolean where text or a number belongs is the wrong type (the API says so too).
	const typeChecks = SCALAR_FIELDS.flatMap((field) => {
		const col = byName.get(map[field] ?? field);
		if (!col || col.type !== 'JSON') return [];
		const id = ident(col.name);
		return [`CASE WHEN json_type(${id}) IN ('OBJECT', 'ARRAY', 'BOOLEAN') THEN '${field}|must be text or a number, got a JSON ' || lower(json_type(${id})) END`];
	});
	select.push(typeChecks.length ? `coalesce(${typeChecks.join(', ')}) AS _type_err` : 'NULL::VARCHAR AS _type_err');
	for (const required of REQUIRED) {
		if (!byName.has(map[required] ?? required)) {
			return { ok: false, error: `the file has no column ${map[required] ?? required} (file columns: ${cols.map((c) => c.name).join(', ')}); use --map ${required}=COLUMN` };
		}
	}
	// Insertion order is preserved, so rowid is the record's position in the file.
	await conn.run(`CREATE OR REPLACE TABLE ${canon} AS SELECT ${select.join(', ')}, NULL::BIGINT AS _line FROM ${readerSql(format, opts)}`, { file });
	const r = await conn.runAndReadAll(`SELECT count(*) FROM ${canon}`);
	return { ok: true, value: { rows: Number(r.getRows()[0][0]), idsFromContent: !byName.has(map.event_id ?? 'event_id') } };
}

/** First file line of record `rowid` (CSV has a header line; one record per line assumed). */
export function firstLineOffset(format: ImportFormat): number {
	return format === 'csv' ? 2 : 1;
}
