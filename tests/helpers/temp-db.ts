// A fresh DuckDB file in a temp folder per test; removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDb, shutdownDb, type Db } from '../../src/lib/server/db';

export interface TempDb {
	db: Db;
	path: string;
	dir: string;
	cleanup: () => Promise<void>;
}

export async function tempDb(): Promise<TempDb> {
	const dir = mkdtempSync(join(tmpdir(), 'cx-test-'));
	const path = join(dir, 'sub', 'cx.duckdb');
	const db = await getDb(path);
	return {
		db,
		path,
		dir,
		cleanup: async () => {
			await shutdownDb(path);
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
