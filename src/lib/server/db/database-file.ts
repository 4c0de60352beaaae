// Whether a path holds a DuckDB database, without opening it: DuckDB opens some other files (a CSV, say)
// as if they were empty databases and keeps nothing in them, so a wrong path must be caught before.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** DuckDB's main header starts with an 8-byte checksum followed by these magic bytes. */
const MAGIC = Buffer.from('DUCK', 'ascii');
const MAGIC_OFFSET = 8;

export type DatabaseFileState = 'missing' | 'duckdb' | 'folder' | 'other';

export function databaseFileState(path: string): DatabaseFileState {
	let st;
	try {
		st = statSync(path);
	} catch (e) {
		// ENOTDIR: a parent is a file, so there is no database there either.
		const code = (e as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
		throw e;
	}
	if (st.isDirectory()) return 'folder';
	if (!st.isFile()) return 'other';
	const head = Buffer.alloc(MAGIC_OFFSET + MAGIC.length);
	const fd = openSync(path, 'r');
	try {
		const n = readSync(fd, head, 0, head.length, 0);
		return n === head.length && head.subarray(MAGIC_OFFSET).equals(MAGIC) ? 'duckdb' : 'other';
	} finally {
		closeSync(fd);
	}
}
