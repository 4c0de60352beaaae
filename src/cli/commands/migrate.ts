import { config } from '../../lib/server/config';
import { migrate, migrationProgress, openDb } from '../../lib/server/db';
import { MIGRATIONS } from '../../lib/server/db/migrations';
import type { Command } from '../command';

export const migrateCommand: Command = {
	name: 'migrate',
	usage: 'migrate',
	summary: 'apply pending database migrations',
	options: {},
	db: 'create',
	async run({ out }) {
		const db = await openDb(config().dbPath);
		// Each migration on stderr as it runs, as every other command reports the upgrade it does.
		const r = await migrate(db, MIGRATIONS, migrationProgress(config().dbPath));
		out(
			r.applied.length
				? `applied ${r.applied.length} migration(s): ${r.applied.join(', ')}`
				: `database is up to date (${r.alreadyApplied} migrations)`
		);
		return 0;
	}
};
