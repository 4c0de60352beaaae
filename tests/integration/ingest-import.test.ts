// cx import end to end: real files written by the test, the real CLI process, a real DuckDB file.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { importFile, ingestEvents } from '../../src/lib/server/ingest';
import { anEvent, aPurchase, toCsv, toNdjson } from '../fixtures/events';
import { cxProcess } from '../helpers/cli-process';
import { ROOT } from '../helpers/server';
import { tempDirForFile, withDbAt } from '../helpers/temp-db';

const dir = tempDirForFile('cx-import-');


// Each test runs the CLI (a tsx process) once or twice: generous time on a busy machine.
describe('cx import', { timeout: 120_000 }, () => {
	it('imports valid rows, lists rejected ones with file line and field, and adds nothing the second time', () => {
		const file = join(dir, 'events.csv');
		writeFileSync(
			file,
			toCsv([
				['customer_id', 'occurred_at', 'channel', 'type', 'value', 'rating'],
				['c1', '2024-05-01T10:00:00Z', 'web', 'purchase', '12.5', ''],
				['c1', '2024-05-02', 'email', 'survey_csat', '', '5'],
				['c2', 'not-a-date', 'web', 'visit', '', ''],
				['c2', '2024-05-03 08:00:00', 'fax', 'visit', '', ''],
				['c3', '2024-05-03 08:00:00', 'app', 'survey_nps', '', '11'],
				['c1', '2024-05-01T10:00:00Z', 'web', 'purchase', '12.5', '']
			])
		);
		const db = join(dir, 'a.duckdb');
		const first = cxProcess('import', file, '--db', db);
		// Rejected rows make the exit code 1 (the valid rows are imported all the same).
		expect(first.status, first.stderr).toBe(1);
		expect(first.stderr).toContain('cx import: 3 row(s) rejected (listed above); the other rows were imported');
		expect(first.stdout).toMatch(/read:\s+6 rows/);
		expect(first.stdout).toMatch(/accepted:\s+2\b/);
		expect(first.stdout).toMatch(/duplicates:\s+1\b/);
		expect(first.stdout).toMatch(/rejected:\s+3\b/);
		expect(first.stdout).toContain('line 4: occurred_at must be an ISO-8601 timestamp or date, got "not-a-date"');
		expect(first.stdout).toMatch(/line 5: channel must be one of/);
		expect(first.stdout).toMatch(/line 6: rating must be from 0 to 10 for survey_nps, got 11$/m); // as the API says it: not 11.0
		const again = cxProcess('import', file, '--db', db);
		expect(again.stdout).toMatch(/accepted:\s+0\b/);
		expect(again.stdout).toMatch(/duplicates:\s+3\b/);
	});

	it('--strict imports nothing when a row is rejected', async () => {
		const file = join(dir, 'strict.csv');
		writeFileSync(file, toCsv([['customer_id', 'occurred_at', 'type'], ['c1', '2024-05-01', 'visit'], ['', '2024-05-01', 'visit']]));
		const db = join(dir, 'strict.duckdb');
		const r = cxProcess('import', file, '--strict', '--db', db);
		expect(r.status).toBe(1);
		expect(r.stdout).toContain('line 3: customer_id is required');
		expect(await withDbAt(db, async (d) => (await d.one<{ n: number }>('SELECT count(*) AS n FROM events'))?.n)).toBe(0);
	});

	it('reads gzipped NDJSON with --map and --timezone, keeping attrs', async () => {
		const records = [
			{ who: 'n1', when: '2024-05-01 12:00:00', kind: 'purchase', value: 3, attrs: { sku: 'A' } },
			{ who: 'n2', when: '2024-05-01T12:00:00Z', kind: 'x-trial', attrs: { nested: { a: 1 } } }
		];
		const file = join(dir, 'events.ndjson.gz');
		writeFileSync(file, gzipSync(toNdjson(records)));
		const path = join(dir, 'nd.duckdb');
		const r = cxProcess('import', file, '--map', 'customer_id=who,occurred_at=when,type=kind', '--timezone', 'Europe/London', '--db', path);
		expect(r.status, r.stderr + r.stdout).toBe(0);
		const rows = await withDbAt(path, (d) =>
			d.all<{ customer_id: string; occurred_at: Date; attrs: string }>('SELECT customer_id, occurred_at, attrs FROM events ORDER BY customer_id')
		);
		expect(rows.map((x) => [x.customer_id, x.occurred_at.toISOString()])).toEqual([
			['n1', '2024-05-01T11:00:00.000Z'],
			['n2', '2024-05-01T12:00:00.000Z']
		]);
		expect(JSON.parse(rows[0].attrs)).toEqual({ sku: 'A' });
	});

	it('chunks through the same commit path: customers, customer_state and appliers see every chunk', async () => {
		const events = Array.from({ length: 50 }, (_, i) => aPurchase(`k${i % 7}`, i + 1).withoutId().at(new Date(Date.UTC(2024, 0, 1, 0, i))).build());
		events.push(anEvent().withoutId().withCustomer('k0').at('2024-02-01T00:00:00Z').build());
		const file = join(dir, 'chunks.ndjson');
		writeFileSync(file, toNdjson(events));
		const path = join(dir, 'chunks.duckdb');
		await withDbAt(path, async (db) => {
			const r = await importFile(db, file, { chunkRows: 8 });
			expect(r.ok && r.value).toMatchObject({ read: 51, accepted: 51, duplicates: 0, rejected: 0 });
			const s = await db.all<{ customer_id: string; purchase_count: number; purchase_value: number; last_event_type: string }>(
				'SELECT customer_id, purchase_count, purchase_value, last_event_type FROM customer_state ORDER BY customer_id'
			);
			expect(s).toHaveLength(7);
			const k0 = s.find((x) => x.customer_id === 'k0');
			const expected = events.filter((e) => e.customer_id === 'k0' && e.type === 'purchase');
			expect(k0).toEqual({ customer_id: 'k0', purchase_count: expected.length, purchase_value: expected.reduce((a, e) => a + (e.value ?? 0), 0), last_event_type: 'visit' });
			const minutes = await db.one<{ n: number }>('SELECT sum(purchases) AS n FROM rollup_minute');
			expect(minutes?.n).toBe(50);
		});
	});

	it('lists rejected rows in line order across chunks, and counts a repeat of an earlier chunk as a duplicate', async () => {
		// Chunks are checked on two connections in turn but commit in file order.
		const lines = Array.from({ length: 30 }, (_, i) => {
			const e = aPurchase(`o${i % 4}`, i + 1).withId(`ord-${i}`).at(new Date(Date.UTC(2024, 0, 1, 0, i))).build();
			return i % 5 === 3 ? { ...e, type: 'bogus' } : i === 21 ? { ...e, event_id: 'ord-2' } : e;
		});
		const file = join(dir, 'order.ndjson');
		writeFileSync(file, lines.map((e) => JSON.stringify(e)).join('\n') + '\n');
		await withDbAt(join(dir, 'order.duckdb'), async (db) => {
			const r = await importFile(db, file, { chunkRows: 4, maxErrors: 4 });
			expect(r.ok && r.value).toMatchObject({ read: 30, accepted: 23, duplicates: 1, rejected: 6 });
			expect(r.ok && r.value.errors.map((e) => [e.line, e.field])).toEqual([
				[4, 'type'],
				[9, 'type'],
				[14, 'type'],
				[19, 'type']
			]);
			const stored = await db.one<{ n: number; v: number }>("SELECT count(*) AS n, sum(value) AS v FROM events WHERE event_id = 'ord-2'");
			expect(stored).toEqual({ n: 1, v: 3 });
		});
	});

	it('knows re-sent records of a file without event ids whatever their order and chunking', async () => {
		// Ids derived from content: the dedupe probe only looks at stored events inside each chunk's time range.
		const events = Array.from({ length: 40 }, (_, i) => aPurchase(`r${i % 5}`, i + 1).withoutId().at(new Date(Date.UTC(2024, 0, 1, 0, i))).build());
		const first = join(dir, 'noid-a.ndjson');
		const second = join(dir, 'noid-b.ndjson');
		writeFileSync(first, toNdjson(events.slice(0, 30)));
		writeFileSync(second, toNdjson(events.slice(10).reverse()));
		await withDbAt(join(dir, 'noid.duckdb'), async (db) => {
			const a = await importFile(db, first, { chunkRows: 7 });
			expect(a.ok && a.value).toMatchObject({ accepted: 30, duplicates: 0 });
			const b = await importFile(db, second, { chunkRows: 6 });
			expect(b.ok && b.value).toMatchObject({ accepted: 10, duplicates: 20 });
			const stored = await db.one<{ n: number; ids: number }>('SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM events');
			expect(stored).toEqual({ n: 40, ids: 40 });
			expect((await db.one<{ n: number }>('SELECT sum(purchases) AS n FROM rollup_minute'))?.n).toBe(40);
		});
	});

	it('stores each event once when the API path commits the same events while an import runs', async () => {
		// events has no primary key (migration 0011): the import's chunks take the same write lock as
		// ingestEvents, so neither can store an id the other is storing.
		const events = Array.from({ length: 120 }, (_, i) => aPurchase(`w${i % 9}`, i + 1).at(new Date(Date.UTC(2024, 0, 1, 0, i))).build());
		const file = join(dir, 'race.ndjson');
		writeFileSync(file, toNdjson(events));
		await withDbAt(join(dir, 'race.duckdb'), async (db) => {
			const batches = Array.from({ length: 12 }, (_, b) => events.slice(b * 10, b * 10 + 10));
			const [imported, ...ingested] = await Promise.all([
				importFile(db, file, { chunkRows: 10 }),
				...batches.map((b) => ingestEvents(db, b, { source: 'api' }))
			]);
			const viaApi = ingested.reduce((a, r) => a + (r.ok ? r.value.accepted : 0), 0);
			expect(imported.ok && imported.value.accepted + viaApi).toBe(120);
			const stored = await db.one<{ n: number; ids: number }>('SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM events');
			expect(stored).toEqual({ n: 120, ids: 120 });
			expect((await db.one<{ n: number }>('SELECT sum(purchases) AS n FROM rollup_minute'))?.n).toBe(120);
		});
	});

	it('imports under its own memory limit and gives the database its limit back', async () => {
		const file = join(dir, 'limit.ndjson');
		writeFileSync(file, toNdjson(Array.from({ length: 20 }, (_, i) => aPurchase(`m${i}`, i + 1).build())));
		const path = join(dir, 'limit.duckdb');
		await withDbAt(path, async (db) => {
			const setting = async () => (await db.one<{ v: string }>("SELECT current_setting('memory_limit') AS v"))!.v;
			const before = await setting();
			const during: string[] = [];
			const r = await importFile(db, file, { memoryLimit: '256MB', chunkRows: 10, onProgress: () => void setting().then((v) => during.push(v)) });
			expect(r.ok && r.value.accepted).toBe(20);
			await new Promise((done) => setTimeout(done, 50));
			expect(during.length).toBeGreaterThan(0);
			// DuckDB reports the size in its own units (256MB = 244.1 MiB).
			expect(new Set(during)).toEqual(new Set(['244.1 MiB']));
			expect(await setting()).toBe(before);
			const bad = await importFile(db, file, { memoryLimit: 'plenty' });
			expect(bad).toEqual({ ok: false, error: 'memory limit "plenty" must be a size such as 512MB or 2GB' });
		});
		const r = cxProcess('import', file, '--db', path, '--memory-limit', 'plenty');
		expect(r.status).toBe(2);
		expect(r.stderr).toContain('memory limit "plenty" must be a size such as 512MB or 2GB');
		const blank = cxProcess('import', file, '--db', path, '--source', ' ');
		expect(blank.status).toBe(2);
		expect(blank.stderr).toContain('--source must be a non-empty name');
		const small = await withDbAt(path, (db) => importFile(db, file, { memoryLimit: '64MB' }));
		expect(small).toEqual({ ok: false, error: "memory limit 64MB is too small for an import: DuckDB's file readers alone need about 32 MB; give at least 128MB" });
	});

	it('--preset online-retail turns invoice lines into one purchase per invoice and C-invoices into refunds', async () => {
		const file = join(dir, 'retail.csv');
		writeFileSync(
			file,
			toCsv([
				['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'],
				['536365', '85123A', 'HEART', '6', '2010-12-01 08:26:00', '2.55', '17850.0', 'United Kingdom'],
				['536365', '71053', 'LANTERN', '2', '2010-12-01 08:27:00', '3.00', '17850.0', 'United Kingdom'],
				['536366', '22633', 'WARMER', '6', '2010-12-01 08:28:00', '1.85', '', 'United Kingdom'],
				['C536379', 'D', 'Discount', '-1', '2010-12-01 09:41:00', '27.50', '17850', 'United Kingdom']
			])
		);
		const path = join(dir, 'retail.duckdb');
		const r = cxProcess('import', file, '--preset', 'online-retail', '--db', path);
		expect(r.status, r.stderr).toBe(0);
		expect(r.stdout).toMatch(/accepted:\s+2\b/);
		expect(r.stdout).toContain('1 rows without customer dropped');
		const rows = await withDbAt(path, (d) =>
			d.all<{ event_id: string; customer_id: string; type: string; value: number; occurred_at: Date }>(
				'SELECT event_id, customer_id, type, value, occurred_at FROM events ORDER BY event_id'
			)
		);
		expect(rows).toEqual([
			{ event_id: 'online-retail:536365', customer_id: '17850', type: 'purchase', value: 21.3, occurred_at: new Date('2010-12-01T08:26:00Z') },
			{ event_id: 'online-retail:C536379', customer_id: '17850', type: 'refund', value: 27.5, occurred_at: new Date('2010-12-01T09:41:00Z') }
		]);
		expect(cxProcess('import', file, '--preset', 'online-retail', '--db', path).stdout).toMatch(/duplicates:\s+2\b/);
	});

	it('--preset online-retail on another layout names the columns it lacks', async () => {
		const file = join(dir, 'not-retail.csv');
		writeFileSync(file, toCsv([['InvoiceNo', 'CustomerID', 'Amount'], ['536365', '17850', '9.5']]));
		const r = await withDbAt(join(dir, 'not-retail.duckdb'), (db) => importFile(db, file, { preset: 'online-retail' }));
		expect(r).toEqual({
			ok: false,
			error: `cannot import ${file}: the online-retail preset needs the columns InvoiceNo, InvoiceDate, CustomerID, Quantity, UnitPrice, Country; the file lacks InvoiceDate, Quantity, UnitPrice, Country (file columns: InvoiceNo, CustomerID, Amount)`
		});
	});

	it('import-customers upserts and reports bad rows by line', async () => {
		const file = join(dir, 'customers.csv');
		writeFileSync(file, toCsv([['customer_id', 'name', 'segment', 'monthly_value'], ['a', 'Ann', 'vip', '90'], ['b', 'Bob', 'smb', '12.5']]));
		const path = join(dir, 'cust.duckdb');
		const r = cxProcess('import-customers', file, '--db', path);
		expect(r.stdout).toContain('customers: 2 inserted, 0 updated');
		const bad = join(dir, 'bad-customers.csv');
		writeFileSync(bad, toCsv([['customer_id', 'monthly_value'], ['a', '1'], ['c', '-5']]));
		const rb = cxProcess('import-customers', bad, '--db', path);
		expect(rb.status).toBe(1);
		expect(rb.stderr).toMatch(/line 3: monthly_value must be a finite number ≥ 0/);
		const rows = await withDbAt(path, (d) => d.all<{ customer_id: string; monthly_value: number }>('SELECT customer_id, monthly_value FROM customers ORDER BY 1'));
		expect(rows).toEqual([
			{ customer_id: 'a', monthly_value: 90 },
			{ customer_id: 'b', monthly_value: 12.5 }
		]);
	});

	it('refuses with DatabaseInUseError while another process holds the file', async () => {
		const path = join(dir, 'held.duckdb');
		const file = join(dir, 'held.csv');
		writeFileSync(file, toCsv([['customer_id', 'occurred_at', 'type'], ['c1', '2024-05-01', 'visit']]));
		const holder = spawn(
			process.execPath,
			['-e', `require('@duckdb/node-api').DuckDBInstance.create(${JSON.stringify(path)}).then((db) => { globalThis.held = db; setInterval(() => {}, 1000); console.log('ready'); })`],
			{ cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] }
		);
		try {
			await new Promise<void>((resolve, reject) => {
				holder.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
				holder.on('exit', () => reject(new Error('holder exited')));
			});
			const r = cxProcess('import', file, '--db', path);
			expect(r.status).toBe(1);
			expect(r.stderr).toContain(`the database ${path} is in use by another cx-command process (pid ${holder.pid}); stop it or use the HTTP API`);
		} finally {
			holder.kill('SIGKILL');
		}
	});
});
