// A refused command leaves no new database behind (README, "Command line"). Most refusals come before the
// database is opened (stored-database.ts), but some can only be known while the work runs: an import whose
// rows are all rejected, or whose file turns out to hold no rows, is found out by reading the whole file
// into the database. A database file that such a command created is removed again when it ends; a file that
// was there before is never touched.
import { existsSync, rmdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

export interface NewDatabase {
	/** The files DuckDB may create for the database that did not exist before the command. */
	files: string[];
	/** The folders the command would create to hold it, deepest first. */
	folders: string[];
}

/** What removing a database created at `path` would remove; null when a database file is already there. */
export function newDatabaseAt(path: string): NewDatabase | null {
	if (existsSync(path)) return null;
	// DuckDB's write-ahead log and spill folder sit next to the file; a stale one from before is not ours.
	const files = [path, `${path}.wal`, `${path}.tmp`].filter((p) => !existsSync(p));
	const folders: string[] = [];
	for (let d = dirname(path); !existsSync(d) && dirname(d) !== d; d = dirname(d)) folders.push(d);
	return { files, folders };
}

/** Removes what the command created; the database must be closed. A folder something else was put in stays. */
export function removeNewDatabase(n: NewDatabase): void {
	for (const p of n.files) rmSync(p, { recursive: true, force: true });
	for (const d of n.folders) {
		try {
			rmdirSync(d);
		} catch {
			return;
		}
	}
}
