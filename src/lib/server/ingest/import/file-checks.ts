// Checks every file import (events and customers) runs before and after DuckDB reads a file, so both
// commands refuse an unreadable file with the same words: which file and what is wrong, never DuckDB's SQL.
import { statSync } from 'node:fs';
import { checkGzip } from './check-gzip';
import type { ImportFormat } from './reader';
import { findBadNdjsonLine, scanNdjsonDepth } from './scan-ndjson';

/**
 * DuckDB's reader error without what only helps someone writing SQL: the echoed statement, "Possible
 * Solution" hints about reader options, the sniffer's settings, and the "Original Line" (often the line before).
 */
export function cleanReaderError(e: unknown): string {
	const text = (e instanceof Error ? e.message : String(e)).replace(/^[A-Za-z ]*Error: /, '');
	const kept: string[] = [];
	for (const l of text.split('\n')) {
		const t = l.trim();
		if (/^(LINE \d+:|Possible Solution|file = |delimiter = |quote = |escape = |new_line = |header = |skip_rows = |comment = |strict_mode = |date_format = |timestamp_format = |null_padding = |all_varchar = )/.test(t)) break;
		if (t === '' || t.startsWith('Original Line:') || t === '^') continue;
		kept.push(t);
	}
	return kept.join(' ').slice(0, 500);
}

/**
 * Why `file` is not a file to import, or null. Checked before the format is guessed from the name: a
 * folder has no extension, and "cannot tell the format" would send the user after the wrong problem.
 */
export function notAFile(file: string): string | null {
	try {
		return statSync(file).isDirectory() ? `${file} is a folder, not a file; give the path of a file in it` : null;
	} catch (e) {
		return `cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`;
	}
}

/**
 * Why `file` cannot be imported as `format` before DuckDB reads it, or null. NDJSON is scanned for very
 * deep nesting first: DuckDB's JSON reader crashes the process on it.
 */
export async function checkImportFile(file: string, format: ImportFormat, opts: { scanNdjson: boolean }): Promise<string | null> {
	const notFile = notAFile(file);
	if (notFile) return notFile;
	try {
		const s = statSync(file);
		// NDJSON and Parquet have no header line, so "no header" would only puzzle there.
		if (s.size === 0) return `${file} is empty (${format === 'csv' ? 'no header line, no records' : 'no records'})`;
	} catch (e) {
		return `cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`;
	}
	const gzip = await checkGzip(file);
	if (gzip) return `cannot import ${file}: it ${gzip}`;
	if (format === 'ndjson' && opts.scanNdjson) {
		const deep = await scanNdjsonDepth(file);
		if (!deep.ok) return `cannot import ${file}: line ${deep.line}: ${deep.message}`;
	}
	return null;
}

/** The refusal for a file DuckDB could not read: for NDJSON our own line check names the line exactly. */
export async function readErrorMessage(file: string, format: ImportFormat, e: unknown): Promise<string> {
	if (format === 'ndjson') {
		const bad = await findBadNdjsonLine(file);
		if (!bad.ok) return `cannot read ${file} as ndjson: line ${bad.line}: ${bad.message}`;
	}
	return `cannot read ${file} as ${format}: ${cleanReaderError(e)}`;
}
