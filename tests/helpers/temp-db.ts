// Temp DuckDB files and folders for tests (a fresh file per test, a folder per test file), removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
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

/** A temp folder for one test file's files and databases, removed after its tests (call at the top level). */
export function tempDirForFile(prefix: string): string {
	const dir = mkdtempSync(join(tmpdir(), prefix));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));
	return dir;
}

/** Opens the database file at `path` for `fn` and closes it after, so a CLI process can open it next. */
export async function withDbAt<T>(path: string, fn: (db: Db) => Promise<T>): Promise<T> {
	const db = await getDb(path);
	try {
		return await fn(db);
	} finally {
		await shutdownDb(path);
	}
}
