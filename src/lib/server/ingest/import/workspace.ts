// An import's working space: an in-memory database attached for the length of one import. Unlike a temp
// table, which belongs to one connection, its tables are seen by every connection of the instance, so a
// second connection can validate chunk k+1 of the file's rows while the first commits chunk k. DuckDB
// spills it to its temp folder under the memory limit like a temp table.
import type { DuckDBConnection } from '@duckdb/node-api';

let attached = 0;

export interface ImportWorkspace {
	/** The attached database's name. */
	name: string;
	/** The file's rows in the canonical columns (canonical.ts), qualified with the database's name. */
	canon: string;
	/** The rejected rows' problems, grouped per chunk (import-file.ts), qualified likewise. */
	problems: string;
}

export async function attachWorkspace(conn: DuckDBConnection): Promise<ImportWorkspace> {
	// Unique in the process, so two imports in one process keep apart.
	const name = `_cx_import_${process.pid}_${++attached}`;
	await conn.run(`ATTACH ':memory:' AS ${name}`);
	return { name, canon: `${name}._import_canon`, problems: `${name}._import_problems` };
}

export async function detachWorkspace(conn: DuckDBConnection, w: ImportWorkspace): Promise<void> {
	await conn.run(`DETACH DATABASE IF EXISTS ${w.name}`);
}
