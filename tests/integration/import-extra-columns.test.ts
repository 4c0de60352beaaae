// cx import in process (the command and importFile against temp DuckDB files, fixture files written
// here): columns that are not event fields are kept in attrs, a `cx export` file round-trips with its
// sources, --preset online-retail rejects bad numbers, and any rejected row means exit code 1.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCommand } from '../../src/cli/commands/import';
import { UsageError } from '../../src/cli/command';
import { overrideConfig } from '../../src/lib/server/config';
import { exportEventsParquet } from '../../src/lib/server/export/events-parquet';
import { importFile, ingestEvents } from '../../src/lib/server/ingest';
import { tempDb, type TempDb } from '../helpers/temp-db';

let dir: string;
let t: TempDb;
beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-import-columns-'));
	t = await tempDb();
	overrideConfig({ dbPath: t.path });
});
afterAll(async () => {
	await t?.cleanup();
	rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string): string {
	const path = join(dir, name);
	writeFileSync(path, content);
	return path;
}

/** `cx import FILE [--flag value]…` through the command itself, output captured. */
async function cx(path: string, flags: Record<string, string> = {}): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
	const stdout: string[] = [];
	const stderr: string[] = [];
	// The test's database exists before the command: run.ts would keep it even when nothing was stored.
	const code = await importCommand.run({ values: flags, positionals: [path], out: (s) => stdout.push(s), err: (s) => stderr.push(s), storedNothing: () => undefined });
	return { code, stdout, stderr: stderr.filter((l) => !l.startsWith('import: ')) };
}

type Stored = { event_id: string; customer_id: string; channel: string; attrs: string | null; source: string };
async function events(customerPrefix: string, db = t): Promise<Stored[]> {
	const rows = await db.db.all<Stored>('SELECT event_id, customer_id, channel, attrs::VARCHAR AS attrs, source FROM events ORDER BY customer_id');
	return rows.filter((r) => r.customer_id.startsWith(customerPrefix));
}
const attrsOf = (rows: Stored[]) => Object.fromEntries(rows.map((r) => [r.customer_id, r.attrs === null ? null : JSON.parse(r.attrs)]));

describe('cx import: columns that are not event fields', { timeout: 60_000 }, () => {
	it('keeps them in attrs (the attrs column wins a clash), names them once with a hint for a near-miss, and re-imports nothing', async () => {
		const path = file(
			'extra.csv',
			'customer_id,occurred_at,chanel,type,colour,attrs\n' +
				'x1,2024-05-01,web,visit,red,"{""colour"":""blue"",""k"":1}"\n' +
				'x2,2024-05-01,app,visit,,\n' +
				'x3,2024-05-01,app,visit,green,{}\n'
		);
		const r = await cx(path);
		expect(r.code).toBe(0);
		expect(r.stdout).toContain("  attrs:      kept the columns chanel, colour (not event fields) in each event's attrs");
		expect(r.stdout).toContain('    chanel: kept in attrs — did you mean channel? (--map channel=chanel)');
		expect(attrsOf(await events('x'))).toEqual({
			x1: { chanel: 'web', colour: 'blue', k: 1 },
			x2: { chanel: 'app' },
			x3: { chanel: 'app', colour: 'green' }
		});
		const again = await importFile(t.db, path);
		expect(again.ok && again.value).toMatchObject({ accepted: 0, duplicates: 3 });
		// With --map the column is the field, and nothing is left over.
		const mapped = await importFile(t.db, path, { map: { channel: 'chanel' }, source: 'mapped' });
		expect(mapped.ok && mapped.value.columns).toEqual({ keptInAttrs: ['colour'], hints: [], ignored: [], sourceFromFile: false });
		// One column is named as one.
		const one = await cx(path, { map: 'channel=chanel', source: 'mapped-cli' });
		expect(one.stdout).toContain("  attrs:      kept the column colour (not an event field) in each event's attrs");
	});

	it('keeps NDJSON values with their JSON types', async () => {
		const path = file('extra.ndjson', '{"customer_id":"j1","occurred_at":"2024-05-01","type":"visit","colour":{"a":[1,2]},"n":5,"attrs":{"n":6}}\n');
		const r = await importFile(t.db, path);
		expect(r.ok && r.value.accepted).toBe(1);
		expect(attrsOf(await events('j'))).toEqual({ j1: { colour: { a: [1, 2] }, n: 6 } });
	});

	it('a cx export file round-trips: each row keeps its source, ingested_at is set anew and the summary says so', async () => {
		const from = await tempDb();
		try {
			const ev = (customer_id: string, i: number) => ({ customer_id, occurred_at: `2024-06-0${i}T10:00:00Z`, type: 'visit', attrs: { i } });
			expect((await ingestEvents(from.db, [ev('rt1', 1)], { source: 'crm' })).ok).toBe(true);
			expect((await ingestEvents(from.db, [ev('rt2', 2)], { source: 'shop' })).ok).toBe(true);
			const parquet = join(dir, 'export.parquet');
			expect(await exportEventsParquet(from.db, { from: null, to: null }, parquet)).toEqual({ ok: true, value: { rows: 2 } });
			const r = await cx(parquet);
			expect(r.code).toBe(0);
			expect(r.stdout).toContain("  source:     taken from the file's source column (rows without one: import)");
			expect(r.stdout).toContain('  ingested_at: ignored (set at import)');
			expect(r.stdout.join('\n')).not.toContain('kept the column');
			const original = await events('rt', from);
			expect(await events('rt')).toEqual(original);
			expect(original.map((e) => e.source)).toEqual(['crm', 'shop']);
		} finally {
			await from.cleanup();
		}
		// Rows with an empty source get --source; derived ids stay the same on a second import.
		const csv = file('sources.csv', 'customer_id,occurred_at,type,source\ns1,2024-05-01,visit,crm\ns2,2024-05-01,visit,\n');
		const first = await importFile(t.db, csv, { source: 'backfill' });
		expect(first.ok && first.value).toMatchObject({ accepted: 2, columns: { sourceFromFile: true, keptInAttrs: [] } });
		expect((await events('s')).map((e) => [e.customer_id, e.source, e.attrs])).toEqual([
			['s1', 'crm', null],
			['s2', 'backfill', null]
		]);
		const again = await importFile(t.db, csv, { source: 'backfill' });
		expect(again.ok && again.value).toMatchObject({ accepted: 0, duplicates: 2 });
	});
});

describe('cx import: exit codes', { timeout: 60_000 }, () => {
	it('exits 1 when any row is rejected and says how many on the last line; 0 when none is', async () => {
		const bad = await cx(file('all-bad.csv', 'customer_id,occurred_at,type\nb1,not-a-date,visit\nb2,2024-05-01,bogus\n'));
		expect(bad.code).toBe(1);
		expect(bad.stdout).toContain('  accepted:   0');
		// No row was imported: the last line must not say "the other rows were imported".
		expect(bad.stderr.at(-1)).toBe('cx import: every row was rejected (2, listed above); nothing was imported');
		const good = await cx(file('all-good.csv', 'customer_id,occurred_at,type\ng1,2024-05-01,visit\n'));
		expect(good).toMatchObject({ code: 0, stderr: [] });
	});

	it('an empty NDJSON or Parquet file is "empty (no records)": no header is expected there', async () => {
		expect(await importFile(t.db, file('empty.ndjson', ''))).toEqual({ ok: false, error: `${join(dir, 'empty.ndjson')} is empty (no records)` });
		expect(await importFile(t.db, file('empty.parquet', ''))).toEqual({ ok: false, error: `${join(dir, 'empty.parquet')} is empty (no records)` });
		expect(await importFile(t.db, file('empty.csv', ''))).toEqual({ ok: false, error: `${join(dir, 'empty.csv')} is empty (no header line, no records)` });
	});
});

describe('cx import --preset online-retail', { timeout: 60_000 }, () => {
	const header = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n';

	it('rejects a line with a bad number by its line, and does not store its invoice with a wrong total', async () => {
		const path = file(
			'retail-bad.csv',
			header +
				'700001,A,X,2,2010-12-01 08:26:00,1.50,17001.0,UK\n' +
				'700001,B,Y,six,2010-12-01 08:26:00,2.00,17001.0,UK\n' +
				'700002,A,X,1,2010-12-01 09:00:00,abc,17002.0,UK\n' +
				'700003,A,X,3,2010-12-01 10:00:00,2.00,17003.0,UK\n' +
				'700003,A,X,1,2010-12-01 10:00:00,1.00,17003.0,UK\n'
		);
		const r = await importFile(t.db, path, { preset: 'online-retail' });
		expect(r.ok && r.value).toMatchObject({ read: 5, records: 3, accepted: 1, rejected: 2 });
		expect(r.ok && r.value.errors).toEqual([
			{ line: 3, field: 'Quantity', message: 'must be a number, got "six"; invoice 700001 is not imported' },
			{ line: 4, field: 'UnitPrice', message: 'must be a number, got "abc"; invoice 700002 is not imported' }
		]);
		const stored = await t.db.all<{ event_id: string; value: number }>("SELECT event_id, value FROM events WHERE event_id LIKE 'online-retail:7000%' ORDER BY 1");
		expect(stored).toEqual([{ event_id: 'online-retail:700003', value: 7 }]);
		const cli = await cx(path, { preset: 'online-retail' });
		expect(cli.code).toBe(1);
		expect(cli.stdout).toContain('    line 3: Quantity must be a number, got "six"; invoice 700001 is not imported');
	});

	it('refuses --format other than csv and --map with a usage error', async () => {
		const path = file('retail.ndjson', '{}\n');
		await expect(cx(path, { preset: 'online-retail', format: 'ndjson' })).rejects.toThrow(new UsageError('--preset online-retail reads CSV; it cannot be combined with --format ndjson'));
		await expect(cx(path, { preset: 'online-retail', map: 'customer_id=CustomerID' })).rejects.toThrow(new UsageError('--preset online-retail knows its columns; it cannot be combined with --map'));
		expect(await importFile(t.db, path, { preset: 'online-retail', format: 'parquet' })).toEqual({ ok: false, error: '--preset online-retail reads CSV; it cannot be combined with --format parquet' });
	});
});
