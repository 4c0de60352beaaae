// What `cx import`, `cx import-customers` and `cx export` tell a user when things go wrong: the real CLI in a
// child process against temp DuckDB files, checking the words, the exit code and what was (not) stored.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../src/lib/server/ingest';
import { aPurchase, toCsv, toNdjson } from '../fixtures/events';
import { cxProcess } from '../helpers/cli-process';
import { tempDirForFile, withDbAt } from '../helpers/temp-db';

const dir = tempDirForFile('cx-import-messages-');

const count = (path: string, table: string) => withDbAt(path, async (d) => (await d.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${table}`))!.n);

function write(name: string, content: string): string {
	const path = join(dir, name);
	writeFileSync(path, content);
	return path;
}

/** Lines of output, without the plain progress lines a non-terminal stderr gets. */
const lines = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('import: '));

// Each test runs the CLI (a tsx process) once or a few times: generous time on a busy machine.
describe('cx import messages', { timeout: 120_000 }, () => {
	it('every row rejected: one line per problem with its count and lines, and "nothing was imported"', async () => {
		const rows = Array.from({ length: 25 }, (_, i) => [`c${i}`, '2024-05-01', 'purchase', 'abc']);
		const file = write('all-bad.csv', toCsv([['customer_id', 'occurred_at', 'type', 'value'], ...rows, ['c1', '2024-05-01', 'bogus', '1']]));
		const db = join(dir, 'all-bad.duckdb');
		const r = cxProcess('import', file, '--db', db);
		expect(r.status, r.stderr).toBe(1);
		expect(r.stdout).toMatch(/accepted:\s+0\n/);
		expect(r.stdout).toMatch(/rejected:\s+26\n/);
		expect(r.stdout).toContain('    value must be a finite number, got "abc" — 25 rows, lines 2, 3, 4, 5, 6, … 26\n');
		expect(r.stdout).toContain('    line 27: type must be a standard type or a custom type starting with "x-"; got "bogus"\n');
		// Not the 25 identical lines of before.
		expect(r.stdout.match(/must be a finite number/g)).toHaveLength(1);
		expect(lines(r.stderr).at(-1)).toBe('cx import: every row was rejected (26, listed above); nothing was imported');
		expect(await count(db, 'events')).toBe(0);
	});

	it('counts a problem over every chunk, not only the rows listed', async () => {
		const events = Array.from({ length: 40 }, (_, i) => ({ ...aPurchase(`g${i % 3}`, i + 1).build(), ...(i % 4 === 1 ? { channel: 'fax' } : {}) }));
		const file = write('chunks.ndjson', toNdjson(events));
		const r = await withDbAt(join(dir, 'chunks.duckdb'), (db) => importFile(db, file, { chunkRows: 7, maxErrors: 3 }));
		expect(r.ok && r.value).toMatchObject({ read: 40, accepted: 30, rejected: 10, problemKinds: 1 });
		expect(r.ok && r.value.errorGroups).toEqual([
			{ field: 'channel', message: 'must be one of web, app, email, phone, chat, social, store, other; got "fax"', rows: 10, lines: [2, 6, 10, 14, 18], lastLine: 38 }
		]);
	});

	it('names every missing required column at once, with the file columns and the --map to take them', () => {
		const file = write('retail.csv', toCsv([['InvoiceNo', 'CustomerID', 'Quantity', 'UnitPrice'], ['536365', '17850', '6', '2.55']]));
		const r = cxProcess('import', file, '--map', 'value=UnitPrice', '--db', join(dir, 'retail.duckdb'));
		expect(r.status).toBe(1);
		expect(lines(r.stderr)).toEqual([
			'cx import: the file has no columns customer_id, occurred_at, type, which are required (file columns: InvoiceNo, CustomerID, Quantity, UnitPrice); ' +
				"use --map to=from to take them from the file's columns: --map value=UnitPrice,customer_id=CustomerID,occurred_at=COLUMN,type=COLUMN"
		]);
		// A --map source the file lacks is named in the same message as the columns still missing.
		const typo = cxProcess('import', file, '--map', 'customer_id=CustID', '--db', join(dir, 'retail.duckdb'));
		expect(lines(typo.stderr)).toEqual([
			'cx import: --map names columns the file does not have: CustID; the file has no columns occurred_at, type, which are required (file columns: InvoiceNo, CustomerID, Quantity, UnitPrice); ' +
				"use --map to=from to take them from the file's columns: --map customer_id=CustomerID,occurred_at=COLUMN,type=COLUMN"
		]);
	});

	it('a header-only file says it has no rows and exits 1, like an empty file', () => {
		const db = join(dir, 'empty.duckdb');
		const header = cxProcess('import', write('header.csv', 'customer_id,occurred_at,type\n'), '--db', db);
		expect(header.status).toBe(1);
		expect(header.stdout).toMatch(/read:\s+0 rows/);
		expect(lines(header.stderr).at(-1)).toBe(`cx import: ${join(dir, 'header.csv')} has no rows below its header line; nothing was imported`);
		const empty = cxProcess('import', write('empty.csv', ''), '--db', db);
		expect(empty.status).toBe(1);
		expect(lines(empty.stderr)).toEqual([`cx import: ${join(dir, 'empty.csv')} is empty (no header line, no records)`]);
	});

	it('an unknown --timezone is a usage error (exit 2, with the usage line)', () => {
		const file = write('tz.csv', toCsv([['customer_id', 'occurred_at', 'type'], ['c1', '2024-05-01 10:00:00', 'visit']]));
		const r = cxProcess('import', file, '--timezone', 'Europe/Lodnon', '--db', join(dir, 'tz.duckdb'));
		expect(r.status).toBe(2);
		expect(r.stderr).toContain('cx import: --timezone: unknown time zone "Europe/Lodnon" (use an IANA name such as Europe/London)');
		expect(r.stderr).toContain('usage: npm run cx -- import FILE');
	});

	it('a folder is called a folder, not a file of unknown format', () => {
		const folder = join(dir, 'exports');
		mkdirSync(folder);
		for (const command of ['import', 'import-customers']) {
			const r = cxProcess(command, folder, '--db', join(dir, 'folder.duckdb'));
			expect(r.status, command).toBe(1);
			expect(lines(r.stderr), command).toEqual([`cx ${command}: ${folder} is a folder, not a file; give the path of a file in it`]);
		}
	});

	it('a file name that does not tell the format is a usage error in both commands (exit 2, with the usage line), and makes no database', () => {
		const file = write('events.dat', toCsv([['customer_id', 'occurred_at', 'type'], ['c1', '2024-05-01', 'visit']]));
		const db = join(dir, 'unknown-format.duckdb');
		for (const command of ['import', 'import-customers']) {
			const r = cxProcess(command, file, '--db', db);
			expect(r.status, command).toBe(2);
			expect(lines(r.stderr), command).toEqual([
				`cx ${command}: cannot tell the format of ${file} from its name; pass --format csv|ndjson|parquet`,
				expect.stringMatching(new RegExp(`^usage: npm run cx -- ${command} FILE `))
			]);
		}
		expect(existsSync(db)).toBe(false);
		// With --format the same file is read: the name was the only problem.
		expect(cxProcess('import', file, '--format', 'csv', '--db', db).status).toBe(0);
	});

	it('progress shows no rate or ETA before a row is done, instead of "0 rows/s, ETA 0 s"', () => {
		const file = write('progress.csv', toCsv([['customer_id', 'occurred_at', 'type'], ['c1', '2024-05-01', 'visit'], ['c2', '2024-05-01', 'visit']]));
		const r = cxProcess('import', file, '--db', join(dir, 'progress.duckdb'));
		expect(r.status, r.stderr).toBe(0);
		const progress = r.stderr.split('\n').filter((l) => l.startsWith('import: '));
		expect(progress[0]).toBe('import: 0/2 rows (0%), — rows/s, ETA —');
		expect(progress.at(-1)).toMatch(/^import: 2\/2 rows \(100%\), \d+ rows\/s, ETA 0 s$/);
	});
});

describe('cx import-customers messages', { timeout: 120_000 }, () => {
	it('refuses a file that lists a customer twice, naming both lines, and stores nothing', async () => {
		const file = write('dup-customers.csv', toCsv([['customer_id', 'name', 'monthly_value'], ['c1', 'Ann', '10'], ['c2', 'Bob', '5'], ['c1', 'Ann B.', '-1'], ['c1', 'Ann C.', '12']]));
		const db = join(dir, 'dup-customers.duckdb');
		const r = cxProcess('import-customers', file, '--db', db);
		expect(r.status).toBe(1);
		expect(lines(r.stderr)).toEqual([
			'  line 4: monthly_value must be a finite number ≥ 0, got -1',
			'  line 4: customer_id "c1" is already on line 2 (one row per customer in a file)',
			'  line 5: customer_id "c1" is already on line 2 (one row per customer in a file)',
			'cx import-customers: 2 row(s) rejected; nothing imported'
		]);
		expect(await count(db, 'customers')).toBe(0);
	});

	it('a header-only file says it has no rows and exits 1', () => {
		const file = write('header-customers.csv', 'customer_id,name\n');
		const r = cxProcess('import-customers', file, '--db', join(dir, 'header-customers.duckdb'));
		expect(r.status).toBe(1);
		expect(r.stdout).toBe('');
		expect(lines(r.stderr)).toEqual([`cx import-customers: ${file} has no rows below its header line; nothing was imported`]);
	});
});

describe('cx export', { timeout: 120_000 }, () => {
	it('refuses to overwrite a file unless --force is given', () => {
		const db = join(dir, 'export.duckdb');
		const events = write('export-events.csv', toCsv([['customer_id', 'occurred_at', 'type'], ['c1', '2024-05-01', 'visit']]));
		expect(cxProcess('import', events, '--db', db).status).toBe(0);
		const out = write('events.parquet', 'last month’s export');
		const r = cxProcess('export', '--out', out, '--db', db);
		expect(r.status).toBe(1);
		expect(lines(r.stderr)).toEqual([`cx export: --out ${out} already exists; give --force to overwrite it, or choose another --out`]);
		expect(readFileSync(out, 'utf8')).toBe('last month’s export');
		const forced = cxProcess('export', '--out', out, '--force', '--db', db);
		expect(forced.status, forced.stderr).toBe(0);
		expect(forced.stdout).toBe(`wrote 1 event to ${out}\n`);
		expect(readFileSync(out).subarray(0, 4).toString()).toBe('PAR1');
		expect(statSync(out).size).toBeGreaterThan(100);
		const help = cxProcess('export', '--help');
		expect(help.stdout).toMatch(/usage: npm run cx -- export --out FILE\.parquet \[--from DATE\] \[--to DATE\] \[--force\]/);
		expect(help.stdout).toMatch(/--force\s+overwrite the --out file when it exists/);
	});
});
