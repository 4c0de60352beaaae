// `cx import-customers FILE`: upserts customers from CSV/NDJSON/Parquet (DuckDB reads the file).
import { existsSync } from 'node:fs';
import { config } from '../../lib/server/config';
import { getDb } from '../../lib/server/db';
import { IMPORT_FORMATS, upsertCustomers, type ImportFormat } from '../../lib/server/ingest';
import { formatFromName, readerSql } from '../../lib/server/ingest/import/reader';
import { UsageError, type Command } from '../command';

function plain(v: unknown, key: string): unknown {
	if (v === null) return undefined;
	if (typeof v === 'bigint') return Number(v);
	if (key === 'attrs' && typeof v === 'string') {
		try {
			return JSON.parse(v) as unknown;
		} catch {
			return v;
		}
	}
	if (key === 'customer_id' && typeof v === 'number') return String(v);
	if (typeof v === 'object' && !(v instanceof Date)) return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x))) as unknown;
	return v;
}

export const importCustomersCommand: Command = {
	name: 'import-customers',
	usage: 'import-customers FILE [--format csv|ndjson|parquet]',
	summary: 'upsert customers (customer_id, name, segment, plan, region, signed_up_at, monthly_value, tolerance, attrs)',
	options: { format: { type: 'string' } },
	async run({ values, positionals, out, err }) {
		const [file] = positionals;
		if (!file || positionals.length > 1) throw new UsageError('give exactly one FILE');
		if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
		const format = (values.format as ImportFormat | undefined) ?? formatFromName(file);
		if (!format || !IMPORT_FORMATS.includes(format)) throw new UsageError('cannot tell the format; pass --format csv|ndjson|parquet');
		const db = await getDb(config().dbPath);
		const rows = await db.connect(async (conn) => {
			const r = await conn.runAndReadAll(`SELECT * FROM ${readerSql(format, { allVarchar: false })}`, { file });
			return r.getRowObjectsJS();
		});
		const records = rows.map((row) => {
			const o: Record<string, unknown> = {};
			for (const [k, v] of Object.entries(row)) {
				const x = plain(v, k);
				if (x !== undefined) o[k] = x;
			}
			return o;
		});
		const r = await upsertCustomers(db, records);
		if (!r.ok) {
			const first = format === 'csv' ? 2 : 1;
			for (const e of r.errors.slice(0, 20)) err(`  line ${e.index + first}: ${e.field} ${e.message}`);
			err(`cx import-customers: ${r.errors.length}${r.errors.length >= 100 ? '+' : ''} problem(s); nothing imported`);
			return 1;
		}
		out(`customers: ${r.value.inserted} inserted, ${r.value.updated} updated (${records.length} rows read)`);
		return 0;
	}
};
