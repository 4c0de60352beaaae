// `cx import-customers FILE`: upserts customers from CSV/NDJSON/Parquet (DuckDB reads the file).
import { existsSync } from 'node:fs';
import { config } from '../../lib/server/config';
import { getDb } from '../../lib/server/db';
import { IMPORT_FORMATS, type ImportFormat } from '../../lib/server/ingest';
import { importCustomerRecords, readCustomersFile } from '../../lib/server/customers/import-customers-file';
import { formatFromName, unknownFormatMessage } from '../../lib/server/ingest/import/reader';
import { notAFile } from '../../lib/server/ingest/import/file-checks';
import { CliError, UsageError, type Command } from '../command';

export const importCustomersCommand: Command = {
	name: 'import-customers',
	usage: 'import-customers FILE [--format csv|ndjson|parquet]',
	summary: 'upsert customers (customer_id, name, segment, plan, region, signed_up_at, monthly_value, tolerance, attrs)',
	positionals: ['FILE'],
	options: { format: { type: 'string' } },
	async run({ values, positionals, out, err, storedNothing }) {
		const [file] = positionals;
		if (!file || positionals.length > 1) throw new UsageError('give exactly one FILE');
		if (!existsSync(file)) throw new CliError(`no such file: ${file}`);
		const notFile = notAFile(file);
		if (notFile) throw new CliError(notFile);
		const given = values.format as string | undefined;
		if (given !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(given)) {
			throw new UsageError(`--format must be one of ${IMPORT_FORMATS.join(', ')}`);
		}
		// As `cx import`: a name without a known extension is fixed on the command line (--format), so exit 2.
		const format = (given as ImportFormat | undefined) ?? formatFromName(file);
		if (!format) throw new UsageError(unknownFormatMessage(file));
		// The file read and checked first: a refused one leaves no new database behind.
		const read = await readCustomersFile(file, format);
		// Like an empty file (and like `cx import`): a file without rows imported nothing, which a script must notice.
		if (read.ok && read.value.length === 0) {
			err(`cx import-customers: ${file} has ${format === 'csv' ? 'no rows below its header line' : 'no records'}; nothing was imported`);
			return 1;
		}
		const r = read.ok ? await importCustomerRecords(await getDb(config().dbPath), read.value, format) : read;
		if (!r.ok) {
			// All or nothing: a refused file stored no customer.
			storedNothing();
			const errors = r.rejected?.errors ?? [];
			for (const e of errors.slice(0, 20)) err(`  line ${e.line}: ${e.field} ${e.message}`);
			if (errors.length > 20) err(`  … and ${errors.length - 20}${r.rejected?.capped ? '+' : ''} more problems`);
			err(`cx import-customers: ${r.error}`);
			return 1;
		}
		out(`customers: ${r.value.inserted} inserted, ${r.value.updated} updated (${r.value.read} rows read)`);
		return 0;
	}
};
