import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { config } from '../../lib/server/config';
import { getDb } from '../../lib/server/db';
import { exportEventsParquet } from '../../lib/server/export/events-parquet';
import type { Command } from '../command';

export const exportCommand: Command = {
	name: 'export',
	usage: 'export --out FILE.parquet [--from DATE] [--to DATE]',
	summary: 'write the events of [from, to) to a Parquet file (what GET /api/v1/export/events.parquet serves)',
	options: { out: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
	async run({ values, out, err }) {
		const file = values.out;
		if (typeof file !== 'string' || !file) {
			err('cx export: --out FILE.parquet is required');
			return 2;
		}
		if (!existsSync(dirname(resolve(file)))) {
			err(`cx export: the folder ${dirname(resolve(file))} does not exist (DuckDB does not create it)`);
			return 2;
		}
		const db = await getDb(config().dbPath);
		const str = (v: unknown) => (typeof v === 'string' ? v : null);
		const r = await exportEventsParquet(db, { from: str(values.from), to: str(values.to) }, resolve(file));
		if (!r.ok) {
			err(`cx export: ${r.error}`);
			return 2;
		}
		out(`wrote ${r.value.rows} ${r.value.rows === 1 ? 'event' : 'events'} to ${resolve(file)}`);
		return 0;
	}
};
