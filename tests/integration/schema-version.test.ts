// Upgrades and downgrades of the database file: an older build refuses a database a newer one migrated
// (it used to start, report healthy and then fail every ingest with a 500), and a build that upgrades a
// database says which migrations it applied.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb, migrate, openDb, shutdownDb } from '../../src/lib/server/db';
import { MIGRATIONS } from '../../src/lib/server/db/migrations';
import { startServer } from '../helpers/server';

const root = join(import.meta.dirname, '..', '..');
let dir: string;
beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'cx-schema-'));
});
afterAll(() => {
	rmSync(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { cwd: root, encoding: 'utf8' });

describe('a database migrated by a newer version', () => {
	it('is refused by the server and the CLI with one line saying what to do', async () => {
		const sub = join(dir, 'newer');
		const path = join(sub, 'cx.duckdb');
		const db = await getDb(path);
		await db.run("INSERT INTO schema_migrations (id, name) VALUES (999, 'from-the-future')");
		await shutdownDb(path);
		const refused = await startServer({ dir: sub, timeoutMs: 20_000 }).then(
			(s) => s.stop().then(() => 'started'),
			(e: unknown) => String(e)
		);
		expect(refused).toMatch(/server exited with 1/);
		expect(refused).toContain(`cx-command: the database ${path} was migrated by a newer cx-command (0999-from-the-future)`);
		const r = cli('users', 'list', '--db', path);
		expect(r.status).toBe(1);
		expect(r.stderr).toMatch(/was migrated by a newer cx-command \(0999-from-the-future\).*restore the backup/);
		expect(r.stderr).not.toMatch(/\n\s+at /);
	}, 60_000);
});

describe('a database made by an earlier version', () => {
	it('a CLI command that upgrades it says which migrations it applied, on stderr', async () => {
		const path = join(dir, 'older.duckdb');
		const db = await openDb(path);
		await migrate(db, MIGRATIONS.filter((m) => m.id < 13));
		await closeDb(path);
		const r = cli('users', 'list', '--db', path);
		expect(r.status).toBe(0);
		expect(r.stderr).toMatch(/applying migration 0013-score-history-points \(made by an earlier version; back it up first/);
		expect(r.stderr).toMatch(/migration 0013-score-history-points applied in \d+\.\d s/);
		expect(r.stdout).not.toMatch(/migration/);
		const again = cli('users', 'list', '--db', path);
		expect(again.stderr).not.toMatch(/migration/);
	}, 60_000);

	it('`cx migrate` says so too, each migration as it runs, before its own summary', async () => {
		const path = join(dir, 'older-migrate.duckdb');
		const db = await openDb(path);
		await migrate(db, MIGRATIONS.filter((m) => m.id < 13));
		await closeDb(path);
		const r = cli('migrate', '--db', path);
		expect(r.status).toBe(0);
		expect(r.stderr).toMatch(/applying migration 0013-score-history-points \(made by an earlier version; back it up first/);
		expect(r.stderr).toMatch(/migration 0013-score-history-points applied in \d+\.\d s/);
		const later = MIGRATIONS.filter((m) => m.id >= 13).length;
		expect(r.stdout).toMatch(new RegExp(`^applied ${later} migration\\(s\\): 0013-score-history-points, `));
	}, 60_000);
});
