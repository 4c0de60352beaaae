// A private in-memory DuckDB for questions about DuckDB itself (its time-zone names), asked before the
// database file may be opened: nothing is read from or created on disk.
import { DuckDBInstance } from '@duckdb/node-api';
import { Db } from './database';

export async function withScratchDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
	const db = new Db(':memory:', await DuckDBInstance.create(':memory:'));
	try {
		return await fn(db);
	} finally {
		db.close();
	}
}
