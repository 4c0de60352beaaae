import { existsSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { config } from '../../lib/server/config';
import { getDb } from '../../lib/server/db';
import { exportEventsParquet, parseExportRange } from '../../lib/server/export/events-parquet';
import { CliError, UsageError, type Command } from '../command';
import { prepareOutputs } from '../paths';

export const exportCommand: Command = {
	name: 'export',
	usage: 'export --out FILE.parquet [--from DATE] [--to DATE] [--force]',
	summary: 'write the events of [from, to) to a Parquet file (what GET /api/v1/export/events.parquet serves)',
	options: { out: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, force: { type: 'boolean' } },
	db: 'existing',
	paths: ['out'],
	async run({ values, out, err }) {
		const file = values.out;
		if (typeof file !== 'string' || !file) throw new UsageError('--out FILE.parquet is required');
		// The file is always Parquet; a .csv name would promise something else.
		if (extname(file).toLowerCase() !== '.parquet') throw new UsageError(`--out must name a .parquet file (the export is always Parquet), not ${file}`);
		const str = (v: unknown) => (typeof v === 'string' ? v : null);
		const range = { from: str(values.from), to: str(values.to) };
		const checked = parseExportRange(range, { from: '--from', to: '--to' });
		if (!checked.ok) throw new UsageError(checked.error);
		// An earlier export (or any file) at that path is someone's data: replacing it must be asked for.
		if (values.force !== true && existsSync(file) && statSync(file).isFile()) {
			throw new CliError(`--out ${file} already exists; give --force to overwrite it, or choose another --out`);
		}
		prepareOutputs({ '--out': file });
		const db = await getDb(config().dbPath);
		const r = await exportEventsParquet(db, range, file);
		if (!r.ok) {
			err(`cx export: ${r.error}`);
			return 1;
		}
		out(`wrote ${r.value.rows} ${r.value.rows === 1 ? 'event' : 'events'} to ${file}`);
		return 0;
	}
};
