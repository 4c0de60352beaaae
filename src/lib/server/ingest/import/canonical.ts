// Loads a file into the import's canonical table (workspace.ts): the DESIGN §3 columns as text (after
// --map renames) plus the file line of each row, so the SQL validation and error messages work the same
// for every format.
import type { DuckDBConnection } from '@duckdb/node-api';
import { describeFile, ident, readerSql, type ImportFormat, type ReaderOptions } from './reader';
import { EVENT_FIELDS } from '../../../shared/events';

/** The event fields as the canonical table's columns (DESIGN §3). */
export const CANON_FIELDS = EVENT_FIELDS;

export type ColumnMap = Record<string, string>;

/**
 * Columns that `cx export` writes besides the event fields: `source` is taken per row, `ingested_at`
 * is set anew by the import. Only when no --map takes a field from them.
 */
export const BOOKKEEPING_COLUMNS = ['source', 'ingested_at'] as const;

/** What the import did with the file's columns that are not event fields (after --map). */
export interface ColumnUse {
	/** Kept in each event's attrs under their own name. */
	keptInAttrs: string[];
	/** Near-misses of an event field the file lacks, e.g. chanel → channel. */
	hints: { column: string; field: string }[];
	/** Bookkeeping columns skipped (ingested_at). */
	ignored: string[];
	/** Each row's source comes from the file's source column. */
	sourceFromFile: boolean;
}

export const NO_EXTRA_COLUMNS: ColumnUse = { keptInAttrs: [], hints: [], ignored: [], sourceFromFile: false };

/** idsFromContent: the file has no event_id column, so every id will be derived from the record. */
export type CanonResult =
	| { ok: true; value: { rows: number; idsFromContent: boolean; columns: ColumnUse } }
	| { ok: false; error: string };

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

/** Why the file's header cannot make events with `map` (loadCanonical's first refusal), or null; reads no rows. */
export async function canonicalColumnsProblem(conn: DuckDBConnection, file: string, format: ImportFormat, map: ColumnMap): Promise<string | null> {
	const { cols } = await describeWithFallback(conn, file, format, map);
	return missingColumns(cols, map, columnUse(cols, map).hints);
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
	const columns = columnUse(cols, map);
	const lacking = missingColumns(cols, map, columns.hints);
	if (lacking) return { ok: false, error: lacking };
	const select = CANON_FIELDS.map((field) => {
		const col = byName.get(map[field] ?? field);
		if (field === 'attrs' && columns.keptInAttrs.length > 0) return `${attrsWithExtras(col, columns.keptInAttrs.map((n) => byName.get(n)!))} AS attrs`;
		if (!col) return `NULL::VARCHAR AS ${field}`;
		if (field === 'attrs') return `${attrsText(col)} AS attrs`;
		return `${scalarText(col)} AS ${field}`;
	});
	if (columns.sourceFromFile) select.push(`${scalarText(byName.get('source')!)} AS _source`);
	// NDJSON: an object, array or boolean where text or a number belongs is the wrong type (the API says so too).
	const typeChecks = SCALAR_FIELDS.flatMap((field) => {
		const col = byName.get(map[field] ?? field);
		if (!col || col.type !== 'JSON') return [];
		const id = ident(col.name);
		return [`CASE WHEN json_type(${id}) IN ('OBJECT', 'ARRAY', 'BOOLEAN') THEN '${field}|must be text or a number, got a JSON ' || lower(json_type(${id})) END`];
	});
	select.push(typeChecks.length ? `coalesce(${typeChecks.join(', ')}) AS _type_err` : 'NULL::VARCHAR AS _type_err');
	// Insertion order is preserved, so rowid is the record's position in the file.
	await conn.run(`CREATE OR REPLACE TABLE ${canon} AS SELECT ${select.join(', ')}, NULL::BIGINT AS _line FROM ${readerSql(format, opts)}`, { file });
	const r = await conn.runAndReadAll(`SELECT count(*) FROM ${canon}`);
	return { ok: true, value: { rows: Number(r.getRows()[0][0]), idsFromContent: !byName.has(map.event_id ?? 'event_id'), columns } };
}

type Column = { name: string; type: string };

/**
 * Why the file's columns cannot make events, or null: every --map source the file lacks and every required
 * field without a column, in one message, so a user fixes the command once instead of once per column.
 */
function missingColumns(cols: Column[], map: ColumnMap, hints: ColumnUse['hints']): string | null {
	const names = new Set(cols.map((c) => c.name));
	const badSources = Object.values(map).filter((from) => !names.has(from));
	const unmapped = REQUIRED.filter((f) => map[f] === undefined && !names.has(f));
	if (!badSources.length && !unmapped.length) return null;
	const parts: string[] = [];
	if (badSources.length) parts.push(`--map names columns the file does not have: ${badSources.join(', ')}`);
	if (unmapped.length === 1) parts.push(`the file has no column ${unmapped[0]}, which is required`);
	if (unmapped.length > 1) parts.push(`the file has no columns ${unmapped.join(', ')}, which are required`);
	const fileColumns = `(file columns: ${cols.map((c) => c.name).join(', ')})`;
	// Every required field still without a column, whether unmapped or mapped to a column the file lacks.
	const needs = REQUIRED.filter((f) => !names.has(map[f] ?? f));
	if (!needs.length) return `${parts.join('; ')} ${fileColumns}`;
	// A near-miss column (CustomerID for customer_id) is the likely source; otherwise the user picks one.
	const kept = Object.entries(map).filter(([to, from]) => names.has(from) && !needs.includes(to as (typeof REQUIRED)[number]));
	const suggestion = [...kept.map(([to, from]) => `${to}=${from}`), ...needs.map((f) => `${f}=${hints.find((h) => h.field === f)?.column ?? 'COLUMN'}`)];
	return `${parts.join('; ')} ${fileColumns}; use --map to=from to take ${needs.length > 1 ? 'them' : 'it'} from the file's columns: --map ${suggestion.join(',')}`;
}

/** A column's value as text: NDJSON is read with depth 1, so top-level values arrive as JSON; take their scalar text. */
function scalarText(col: Column): string {
	const id = ident(col.name);
	return col.type === 'JSON' ? `json_extract_string(${id}, '$')` : `${id}::VARCHAR`;
}

/** Nested values (NDJSON objects, Parquet structs) become JSON text; text stays as written. */
function attrsText(col: Column): string {
	const id = ident(col.name);
	return /^VARCHAR/.test(col.type) ? `${id}::VARCHAR` : `to_json(${id})::VARCHAR`;
}

/** A SQL string literal holding `name` as a JSON string (an object key). */
function jsonKeyLiteral(name: string): string {
	return `'${JSON.stringify(name).replace(/'/g, "''")}'`;
}

/**
 * The attrs text when the file has columns that are not event fields: an object of those columns (their
 * JSON values in NDJSON, their text otherwise; empty cells left out), followed by the keys of the file's
 * own attrs, which win a clash. Built as text in column order, so the same row always gives the same
 * attrs and hence the same derived event id. An attrs value that is not a JSON object is passed on as it
 * is, for the validation to reject with its line.
 */
function attrsWithExtras(attrs: Column | undefined, extras: Column[]): string {
	const a = attrs ? attrsText(attrs) : null;
	const pairs = (skipKeysOfAttrs: boolean) =>
		`NULLIF(concat_ws(',', ${extras
			.map((c) => {
				const id = ident(c.name);
				const value = c.type === 'JSON' ? `${id}::VARCHAR` : /^VARCHAR/.test(c.type) ? `to_json(NULLIF(${id}, ''))::VARCHAR` : `to_json(${id})::VARCHAR`;
				const keep = skipKeysOfAttrs ? ` AND NOT list_contains(json_keys(${a}), '${c.name.replace(/'/g, "''")}')` : '';
				return `CASE WHEN ${id} IS NOT NULL${keep} THEN ${jsonKeyLiteral(c.name)} || ':' || ${value} END`;
			})
			.join(', ')}), '')`;
	const alone = `'{' || ${pairs(false)} || '}'`;
	if (a === null) return alone;
	const inner = `trim(substr(trim(${a}), 2, length(trim(${a})) - 2))`;
	return `CASE WHEN NULLIF(trim(${a}), '') IS NULL THEN ${alone}
		WHEN left(trim(${a}), 1) = '{' AND json_valid(${a}) THEN
			CASE WHEN ${pairs(true)} IS NULL THEN ${a}
				WHEN ${inner} = '' THEN '{' || ${pairs(true)} || '}'
				ELSE '{' || ${pairs(true)} || ',' || ${inner} || '}' END
		ELSE ${a} END`;
}

/** Levenshtein distance, for "did you mean" hints on column names. */
function editDistance(a: string, b: string): number {
	let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const cur = [i];
		for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
		prev = cur;
	}
	return prev[b.length];
}

function columnUse(cols: Column[], map: ColumnMap): ColumnUse {
	const names = new Set(cols.map((c) => c.name));
	const used = new Set(CANON_FIELDS.map((f) => map[f] ?? f).filter((n) => names.has(n)));
	const absent = CANON_FIELDS.filter((f) => !names.has(map[f] ?? f));
	const bookkeeping = (n: string) => !used.has(n) && (BOOKKEEPING_COLUMNS as readonly string[]).includes(n);
	const keptInAttrs = cols.map((c) => c.name).filter((n) => !used.has(n) && !bookkeeping(n));
	const hints: ColumnUse['hints'] = [];
	for (const column of keptInAttrs) {
		let best: { field: string; d: number } | null = null;
		for (const field of absent) {
			const d = editDistance(column.toLowerCase(), field);
			if (d <= 2 && (best === null || d < best.d)) best = { field, d };
		}
		if (best) hints.push({ column, field: best.field });
	}
	return {
		keptInAttrs,
		hints,
		ignored: cols.map((c) => c.name).filter((n) => bookkeeping(n) && n !== 'source'),
		sourceFromFile: bookkeeping('source') && names.has('source')
	};
}

/** First file line of record `rowid` (CSV has a header line; one record per line assumed). */
export function firstLineOffset(format: ImportFormat): number {
	return format === 'csv' ? 2 : 1;
}
