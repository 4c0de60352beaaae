// The storage boundary: everything reaches DuckDB through here.
import { config } from '../config';
import { closeDb, openDb, type Db } from './database';
import { migrate } from './migrate';

export { Db, DatabaseInUseError, openDb, closeDb, type Params } from './database';
export { migrate } from './migrate';

const ready = new Map<string, Promise<Db>>();

/** Opens the database file and brings its schema up to date (once per process and path). */
export function getDb(path: string = config().dbPath): Promise<Db> {
	let p = ready.get(path);
	if (!p) {
		p = openDb(path).then(async (db) => {
			await migrate(db);
			return db;
		});
		ready.set(path, p);
		p.catch(() => ready.delete(path));
	}
	return p;
}

/** Closes the file and forgets the handle (tests, CLI shutdown). */
export async function shutdownDb(path: string = config().dbPath): Promise<void> {
	ready.delete(path);
	await closeDb(path);
}
