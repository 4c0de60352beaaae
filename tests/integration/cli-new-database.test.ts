// A refused command leaves no new database behind (README, "Command line"), also when the refusal is only
// known once the import has read the whole file into the database: a file with a header and no rows, or a
// --strict import with rejected rows. A database that was there before is never removed.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli as cx } from '../helpers/cli';
import { getDb, shutdownDb } from '../../src/lib/server/db';

vi.setConfig({ testTimeout: 60_000 });

const dir = mkdtempSync(join(tmpdir(), 'cx-cli-new-db-'));
const headerOnly = join(dir, 'hdr.csv');
const badRows = join(dir, 'bad.csv');
const someBad = join(dir, 'some-bad.csv');
const customersHeaderOnly = join(dir, 'customers-hdr.csv');

beforeAll(() => {
	writeFileSync(headerOnly, 'customer_id,occurred_at,type\n');
	writeFileSync(badRows, 'customer_id,occurred_at,type\nc1,not-a-date,visit\n,2026-01-01,visit\n');
	writeFileSync(someBad, 'customer_id,occurred_at,type\nc1,2026-01-01,visit\nc2,not-a-date,visit\n');
	writeFileSync(customersHeaderOnly, 'customer_id,name\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const refusals: [string, string[], string][] = [
	['a file with a header and no rows', ['import', headerOnly], `cx import: ${headerOnly} has no rows below its header line; nothing was imported`],
	['--strict with rejected rows', ['import', badRows, '--strict'], 'cx import: --strict: 2 row(s) rejected, nothing imported'],
	['every row rejected', ['import', badRows], 'cx import: every row was rejected (2, listed above); nothing was imported'],
	['a customers file with a header and no rows', ['import-customers', customersHeaderOnly], `cx import-customers: ${customersHeaderOnly} has no rows below its header line; nothing was imported`]
];

describe('a refusal found while importing', () => {
	it.each(refusals)('%s leaves neither the new database nor its folder behind', async (_, args, message) => {
		const base = join(dir, `new-${readdirSync(dir).length}`);
		const path = join(base, 'x', 'new.duckdb');
		const r = await cx([...args, '--db', path]);
		expect(r.code, r.err.join('\n')).toBe(1);
		expect(r.err.at(-1)).toBe(message);
		expect(existsSync(base)).toBe(false);
	});

	it('next to other files, removes only the database files it created', async () => {
		const folder = join(dir, 'shared-folder');
		const path = join(folder, 'new.duckdb');
		mkdirSync(folder);
		writeFileSync(join(folder, 'notes.txt'), 'mine');
		const r = await cx(['import', badRows, '--strict', '--db', path]);
		expect(r.code).toBe(1);
		expect(readdirSync(folder)).toEqual(['notes.txt']);
	});

	it('keeps a database that was there before, even an empty one', async () => {
		const path = join(dir, 'before.duckdb');
		await getDb(path);
		await shutdownDb(path);
		for (const [, args] of refusals) {
			const r = await cx([...args, '--db', path]);
			expect(r.code, args.join(' ')).toBe(1);
			expect(existsSync(path), args.join(' ')).toBe(true);
		}
		expect((await cx(['users', 'list', '--db', path])).code).toBe(0);
	});

	it('keeps a new database that some rows went into, though others were rejected', async () => {
		const path = join(dir, 'partly', 'new.duckdb');
		const r = await cx(['import', someBad, '--db', path]);
		expect(r.code).toBe(1);
		expect(r.out[0]).toMatch(/^imported some-bad\.csv \(csv\) in/);
		expect(r.err.at(-1)).toBe('cx import: 1 row(s) rejected (listed above); the other rows were imported');
		expect(existsSync(path)).toBe(true);
	});

	it('says in its first line that nothing was imported', async () => {
		const strict = await cx(['import', badRows, '--strict', '--db', join(dir, 'words', 'a.duckdb')]);
		expect(strict.out[0]).toMatch(/^refused bad\.csv \(csv\) in \d+\.\d s$/);
		const none = await cx(['import', badRows, '--db', join(dir, 'words', 'b.duckdb')]);
		expect(none.out[0]).toMatch(/^nothing imported from bad\.csv \(csv\) in \d+\.\d s$/);
	});
});
