// DuckDB's own file readers (gzip handled by DuckDB); the file path is always a bound parameter.
import type { DuckDBConnection } from '@duckdb/node-api';

export const IMPORT_FORMATS = ['csv', 'ndjson', 'parquet'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * Why the format of `file` cannot be told: its name ends in none of formatFromName's extensions. `cx import`
 * and `cx import-customers` refuse it in these words as a usage error (exit 2): --format fixes it.
 */
export function unknownFormatMessage(file: string): string {
	return `cannot tell the format of ${file} from its name; pass --format csv|ndjson|parquet`;
}

export function formatFromName(file: string): ImportFormat | null {
	const f = file.toLowerCase().replace(/\.(gz|zst)$/, '');
	if (f.endsWith('.csv') || f.endsWith('.tsv') || f.endsWith('.txt')) return 'csv';
	if (f.endsWith('.ndjson') || f.endsWith('.jsonl') || f.endsWith('.json')) return 'ndjson';
	if (f.endsWith('.parquet')) return 'parquet';
	return null;
}

export interface ReaderOptions {
	allVarchar?: boolean;
	/**
	 * Short rows get NULLs for their missing columns (then fail validation with their line) instead of
	 * making the CSV sniffer fall back to one column named after the whole header line.
	 */
	nullPadding?: boolean;
}

/** A table-function call reading `$file`; CSV columns stay text so validation sees what the file says. */
export function readerSql(format: ImportFormat, opts: ReaderOptions = {}): string {
	switch (format) {
		case 'csv':
			return `read_csv($file, header = true${opts.allVarchar === false ? '' : ', all_varchar = true'}${opts.nullPadding ? ', null_padding = true' : ''})`;
		case 'ndjson':
			// Depth 1: nested objects (attrs) stay JSON text instead of becoming structs with every key of every row.
			return `read_json($file, format = 'newline_delimited', maximum_depth = 1)`;
		case 'parquet':
			return `read_parquet($file)`;
	}
}

/** Column names and DuckDB types of the file as the reader sees them. */
export async function describeFile(
	conn: DuckDBConnection,
	file: string,
	format: ImportFormat,
	opts: ReaderOptions = {}
): Promise<{ name: string; type: string }[]> {
	const r = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${readerSql(format, opts)}`, { file });
	return r.getRowObjectsJS().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
}

/** Quotes a column name taken from a file as a SQL identifier. */
export function ident(name: string): string {
	return `"${name.replace(/"/g, '""')}"`;
}
