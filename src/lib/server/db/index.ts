// The storage boundary: everything reaches DuckDB through here.
import { config } from '../config';
import { closeDb, openDb, type Db } from './database';
import { log } from '../log';
import { migrate, type MigrateReport } from './migrate';
import { MIGRATIONS } from './migrations';

export { Db, DatabaseInUseError, openDb, closeDb, type Params } from './database';
export { migrate, NewerSchemaError } from './migrate';
export { withScratchDb } from './scratch';

const ready = new Map<string, Promise<Db>>();

/**
 * Says on stderr what an upgrade is doing to the file (some migrations rebuild large tables): warnings, so
 * CLI commands' output stays clean while saying they changed the file.
 */
export function migrationProgress(path: string): MigrateReport {
	return {
		start: (name) => log.warn(`database ${path}: applying migration ${name} (made by an earlier version; back it up first, docs/operations.md)`),
		done: (name, seconds) => log.warn(`database ${path}: migration ${name} applied in ${seconds.toFixed(1)} s`)
	};
}

/** Opens the database file and brings its schema up to date (once per process and path). */
export function getDb(path: string = config().dbPath): Promise<Db> {
	let p = ready.get(path);
	if (!p) {
		p = openDb(path).then(async (db) => {
			// Only an upgrade is reported (a new database gets its whole schema silently): the server does
			// not listen until the migrations are done.
			await migrate(db, MIGRATIONS, migrationProgress(path));
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
