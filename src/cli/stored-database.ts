// Arguments are checked before a command may create the database: a refused command must not leave an empty
// database behind at a new --db path. Some checks compare with what is stored (board names, user names);
// a database that does not exist yet stores nothing beyond what the code brings, so those checks need no file.
import { config } from '../lib/server/config';
import { getDb, type Db } from '../lib/server/db';
import { databaseFileState } from '../lib/server/db/database-file';

/** The database when its file exists (opening it creates nothing); null when it would be created. */
export async function storedDatabase(): Promise<Db | null> {
	const path = config().dbPath;
	return databaseFileState(path) === 'duckdb' ? getDb(path) : null;
}
