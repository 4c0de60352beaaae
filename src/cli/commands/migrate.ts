import { config } from '../../lib/server/config';
import { migrate, openDb } from '../../lib/server/db';
import type { Command } from '../command';

export const migrateCommand: Command = {
	name: 'migrate',
	usage: 'migrate',
	summary: 'apply pending database migrations',
	options: {},
	db: 'create',
	async run({ out }) {
		const db = await openDb(config().dbPath);
		const r = await migrate(db);
		out(
			r.applied.length
				? `applied ${r.applied.length} migration(s): ${r.applied.join(', ')}`
				: `database is up to date (${r.alreadyApplied} migrations)`
		);
		return 0;
	}
};
