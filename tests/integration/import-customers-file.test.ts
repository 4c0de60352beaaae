// cx import-customers in process: the command against a temp DuckDB file, fixture files written here.
// Values reach validation as the text the file holds: only the bad row is named, ids stay as written,
// unreadable files get one readable line, and any rejected row means exit 1.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCustomersCommand } from '../../src/cli/commands/import-customers';
import { overrideConfig } from '../../src/lib/server/config';
import { importCustomersFile } from '../../src/lib/server/ingest';
import { tempDb, type TempDb } from '../helpers/temp-db';

let dir: string;
let t: TempDb;
beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-import-customers-'));
	t = await tempDb();
	overrideConfig({ dbPath: t.path });
});
afterAll(async () => {
	await t?.cleanup();
	rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Buffer): string {
	const path = join(dir, name);
	writeFileSync(path, content);
	return path;
}

async function cx(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	const out: string[] = [];
	const err: string[] = [];
	const format = args.indexOf('--format');
	const code = await importCustomersCommand.run({
		values: format >= 0 ? { format: args[format + 1] } : {},
		positionals: format >= 0 ? args.filter((_, i) => i !== format && i !== format + 1) : args,
		out: (s) => out.push(s),
		err: (s) => err.push(s),
		// The test's database exists before the command, so run.ts would keep it anyway.
		storedNothing: () => undefined
	});
	return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

async function stored(ids: string[]): Promise<{ customer_id: string; name: string | null; monthly_value: number }[]> {
	const rows = await t.db.all<{ customer_id: string; name: string | null; monthly_value: number }>('SELECT customer_id, name, monthly_value FROM customers ORDER BY customer_id');
	return rows.filter((r) => ids.includes(r.customer_id));
}

describe('cx import-customers', { timeout: 60_000 }, () => {
	it('names only the row with a bad number (CSV and NDJSON), and accepts numbers written as text', async () => {
		const csv = await cx(file('mixed.csv', 'customer_id,monthly_value\nm1,10\nm2,abc\nm3,20\n'));
		expect(csv.code).toBe(1);
		expect(csv.stderr).toContain('line 3: monthly_value must be a finite number ≥ 0, got "abc"');
		expect(csv.stderr).not.toMatch(/line [24]:/);
		expect(csv.stderr.split('\n').at(-1)).toBe('cx import-customers: 1 row(s) rejected; nothing imported');
		const nd = await cx(file('mixed.ndjson', '{"customer_id":"m1","monthly_value":10}\n{"customer_id":"m2","monthly_value":"abc"}\n{"customer_id":"m3","monthly_value":"20"}\n'));
		expect(nd.code).toBe(1);
		expect(nd.stderr).toContain('line 2: monthly_value must be a finite number ≥ 0, got "abc"');
		expect(nd.stderr).not.toMatch(/line [13]:/);
		expect(await stored(['m1', 'm2', 'm3'])).toEqual([]);
		const good = await cx(file('good.ndjson', '{"customer_id":"m1","monthly_value":10}\n{"customer_id":"m3","monthly_value":"20.5","tolerance":"3"}\n'));
		expect(good).toMatchObject({ code: 0, stdout: 'customers: 2 inserted, 0 updated (2 rows read)' });
		expect(await stored(['m1', 'm3'])).toEqual([
			{ customer_id: 'm1', name: null, monthly_value: 10 },
			{ customer_id: 'm3', name: null, monthly_value: 20.5 }
		]);
	});

	it('stores ids and names that look like numbers exactly as written', async () => {
		const r = await importCustomersFile(t.db, file('ids.csv', 'customer_id,name,monthly_value\n1.50,007,1\n1e3,1e3,2\n12345678901234567890,0.10,3\n'), 'csv');
		expect(r).toEqual({ ok: true, value: { read: 3, inserted: 3, updated: 0 } });
		const nd = await importCustomersFile(t.db, file('ids.ndjson', '{"customer_id":"2.50","name":"x"}\n{"customer_id":98765432109876543210}\n'), 'ndjson');
		expect(nd.ok).toBe(true);
		expect(await stored(['1.50', '1e3', '12345678901234567890', '2.50', '98765432109876543210'])).toEqual([
			{ customer_id: '1.50', name: '007', monthly_value: 1 },
			{ customer_id: '12345678901234567890', name: '0.10', monthly_value: 3 },
			{ customer_id: '1e3', name: '1e3', monthly_value: 2 },
			{ customer_id: '2.50', name: 'x', monthly_value: 0 },
			{ customer_id: '98765432109876543210', name: null, monthly_value: 0 }
		]);
	});

	it('refuses unreadable files with one line naming the file and the problem, never DuckDB SQL', async () => {
		const csv = file('plain.csv', 'customer_id,name\nu1,Ann\n');
		mkdirSync(join(dir, 'folder.csv'), { recursive: true });
		const cases: [string, Promise<unknown>, RegExp][] = [
			['broken NDJSON', importCustomersFile(t.db, file('broken.ndjson', '{"customer_id":"u1"}\n{"customer_id":\n'), 'ndjson'), /^cannot read .*broken\.ndjson as ndjson: line 2: malformed JSON/],
			['fake Parquet', importCustomersFile(t.db, file('fake.parquet', 'not parquet at all'), 'parquet'), /^cannot read .*fake\.parquet as parquet: .*magic bytes/],
			['CSV read as NDJSON', importCustomersFile(t.db, csv, 'ndjson'), /^cannot read .*plain\.csv as ndjson: line 1: malformed JSON/],
			['CSV read as Parquet', importCustomersFile(t.db, csv, 'parquet'), /^cannot read .*plain\.csv as parquet: /],
			['NDJSON not UTF-8', importCustomersFile(t.db, file('latin1.ndjson', Buffer.from([...Buffer.from('{"customer_id":"'), 0xe9, ...Buffer.from('"}\n')])), 'ndjson'), /^cannot read .* as ndjson: line 1: is not valid UTF-8/],
			['a folder', importCustomersFile(t.db, join(dir, 'folder.csv'), 'csv'), /folder\.csv is a folder, not a file; give the path of a file in it$/],
			['no customer_id', importCustomersFile(t.db, file('nocid.csv', 'id,name\n1,A\n'), 'csv'), /nocid\.csv has no column customer_id \(file columns: id, name\)$/]
		];
		for (const [name, p, message] of cases) {
			const r = (await p) as { ok: boolean; error: string };
			expect(r.ok, name).toBe(false);
			expect(r.error, name).toMatch(message);
			expect(r.error, name).not.toMatch(/SELECT|read_json|LINE 1|\n/);
		}
	});

	it('names columns that are not customer fields once, for the file, not on every row', async () => {
		const r = await cx(file('extra.csv', 'customer_id,name,colour\nk1,Ann,red\nk2,Bob,blue\n'));
		expect(r.code).toBe(1);
		expect(r.stderr.split('\n')).toEqual([expect.stringMatching(/extra\.csv has columns that are not customer fields: colour \(fields: customer_id, .*attrs column as a JSON object\)$/)]);
	});

	it('an empty file is an error (exit 1), like cx import; NDJSON and Parquet are not said to lack a header', async () => {
		const csv = await cx(file('empty.csv', ''));
		expect(csv.code).toBe(1);
		expect(csv.stderr).toMatch(/cx import-customers: .*empty\.csv is empty \(no header line, no records\)$/);
		const nd = await cx(file('empty.ndjson', ''));
		expect(nd.code).toBe(1);
		expect(nd.stderr).toMatch(/empty\.ndjson is empty \(no records\)$/);
		const pq = await cx(file('empty.bin', ''), '--format', 'parquet');
		expect(pq.stderr).toMatch(/empty\.bin is empty \(no records\)$/);
	});
});
