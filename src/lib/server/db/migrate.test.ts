import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { closeDb, openDb } from './database';
import { migrate, NewerSchemaError } from './migrate';
import { MIGRATIONS } from './migrations';
import { DEFAULT_TEMPLATE } from '../alerts/webhook-template';

let t: TempDb | undefined;
afterEach(async () => {
	await t?.cleanup();
	t = undefined;
});

describe('migrate', () => {
	it('creates a missing folder and applies every migration once', async () => {
		t = await tempDb();
		const rows = await t.db.all<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id');
		expect(rows.map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id).sort((a, b) => a - b));
	});

	it('every migration replays from the write-ahead log: a process killed before its first checkpoint leaves a file that opens', async () => {
		// DuckDB 1.5 cannot replay ALTER TABLE … ADD COLUMN from the log (0016 once did that): the import
		// interrupted in tests/integration/import-interrupt.test.ts then found an unopenable file.
		const dir = mkdtempSync(join(tmpdir(), 'cx-migrate-wal-'));
		try {
			const file = join(dir, 'cx.duckdb');
			const child = spawnSync(process.execPath, ['--import', 'tsx', 'tests/fixtures/migrate-then-die.ts', file], { encoding: 'utf8' });
			expect(child.signal, child.stderr).toBe('SIGKILL');
			expect(existsSync(`${file}.wal`)).toBe(true);
			const db = await openDb(file);
			try {
				const rows = await db.all<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id');
				expect(rows.map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id).sort((a, b) => a - b));
			} finally {
				await closeDb(file);
			}
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('refuses a database migrated by a newer version, naming what it does not know and changing nothing', async () => {
		t = await tempDb();
		await t.db.run("INSERT INTO schema_migrations (id, name) VALUES (999, 'from-the-future')");
		const err = await migrate(t.db).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(NewerSchemaError);
		expect((err as Error).message).toMatch(/migrated by a newer cx-command \(0999-from-the-future\).*restore the backup taken before the upgrade/);
		const count = await t.db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM schema_migrations');
		expect(count?.n).toBe(MIGRATIONS.length + 1);
	});

	it('reports each migration of an upgrade with its time, and nothing for a new database', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'cx-test-'));
		const path = join(dir, 'cx.duckdb');
		const lines: string[] = [];
		const report = { start: (name: string) => lines.push(`start ${name}`), done: (name: string, s: number) => lines.push(`done ${name} ${s >= 0}`) };
		try {
			const db = await openDb(path);
			await migrate(db, MIGRATIONS.filter((m) => m.id < 12), report);
			expect(lines).toEqual([]);
			await migrate(db, MIGRATIONS, report);
			// Every migration from 0012 on, each started and then done (later migrations join the list).
			const names = MIGRATIONS.filter((m) => m.id >= 12).map((m) => `${String(m.id).padStart(4, '0')}-${m.name}`);
			expect(names.slice(0, 2)).toEqual(['0012-drop-rollup-keys', '0013-score-history-points']);
			expect(lines).toEqual(names.flatMap((n) => [`start ${n}`, `done ${n} true`]));
		} finally {
			await closeDb(path);
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('is a no-op when applied twice', async () => {
		t = await tempDb();
		const again = await migrate(t.db);
		expect(again.applied).toEqual([]);
		expect(again.alreadyApplied).toBe(MIGRATIONS.length);
		const count = await t.db.one<{ n: number }>('SELECT count(*) AS n FROM schema_migrations');
		expect(count?.n).toBe(MIGRATIONS.length);
	});

	it('rolls back a failing migration and records nothing of it', async () => {
		t = await tempDb();
		const bad = { id: 9999, name: 'bad', sql: 'CREATE TABLE half_done (x INT); SELECT * FROM no_such_table;' };
		await expect(migrate(t.db, [...MIGRATIONS, bad])).rejects.toThrow(/no_such_table/);
		const recorded = await t.db.one<{ n: number }>('SELECT count(*) AS n FROM schema_migrations WHERE id = 9999');
		expect(recorded?.n).toBe(0);
		const table = await t.db.one<{ n: number }>(
			"SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'half_done'"
		);
		expect(table?.n).toBe(0);
	});

	it('0011 rebuilds events and debt_contributions without their keys, keeping every row in its order', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'cx-test-'));
		const path = join(dir, 'cx.duckdb');
		try {
			const db = await openDb(path);
			await migrate(db, MIGRATIONS.filter((m) => m.id < 11));
			await db.run(`INSERT INTO events SELECT 'e-' || (3 - i), 'c-' || (i % 2), TIMESTAMP '2026-01-01' + i * INTERVAL 1 MINUTE,
				'web', 'survey_csat', NULL, i + 1, NULL, NULL, '{"k":1}', 'test', TIMESTAMP '2026-01-02' FROM range(3) t(i)`);
			await db.run(`INSERT INTO debt_contributions SELECT 'c-' || (i % 2), 'e-' || (3 - i), TIMESTAMP '2026-01-01' + i * INTERVAL 1 MINUTE,
				'bad_rating', 2.5 FROM range(3) t(i)`);
			const read = () => Promise.all(['events', 'debt_contributions'].map((t) => db.all<Record<string, unknown>>(`SELECT * FROM ${t}`)));
			const before = await read();
			expect(before[0].map((r) => r.event_id)).toEqual(['e-3', 'e-2', 'e-1']);
			expect((await migrate(db, MIGRATIONS.filter((m) => m.id <= 11))).applied).toEqual(['0011-drop-event-keys']);
			expect(await read()).toEqual(before);
			const keys = await db.all(
				"SELECT table_name FROM duckdb_constraints() WHERE table_name IN ('events', 'debt_contributions') AND constraint_type = 'PRIMARY KEY'"
			);
			expect(keys).toEqual([]);
			const notNull = await db.all<{ table_name: string; n: number }>(
				"SELECT table_name, count(*) AS n FROM information_schema.columns WHERE table_name IN ('events', 'debt_contributions') AND is_nullable = 'NO' GROUP BY ALL ORDER BY 1"
			);
			expect(notNull).toEqual([
				{ table_name: 'debt_contributions', n: 5 },
				{ table_name: 'events', n: 7 }
			]);
			const index = await db.all<{ index_name: string }>("SELECT index_name FROM duckdb_indexes() WHERE table_name = 'debt_contributions'");
			expect(index).toEqual([{ index_name: 'debt_contributions_customer' }]);
		} finally {
			await closeDb(path);
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('0019 moves destinations still on an earlier default template to the current one and leaves edited ones', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'cx-test-'));
		const path = join(dir, 'cx.duckdb');
		try {
			const db = await openDb(path);
			await migrate(db, MIGRATIONS.filter((m) => m.id < 19));
			const old = [
				'[{{state}}] {{rule}}: {{metric}} = {{value}} (threshold {{threshold}}) at {{at}}',
				'[{{state}}] {{rule}}: {{metric_label}} {{value_text}} (alert when {{condition}}) — {{reason}}, at {{at}}',
				'{{rule}} is {{state}}'
			];
			for (const [i, t] of old.entries()) await db.run('INSERT INTO webhook_destinations (id, name, url, template) VALUES ($1, $1, $2, $3)', [`d${i}`, 'https://example.com/hook', t]);
			await migrate(db);
			const rows = await db.all<{ id: string; template: string }>('SELECT id, template FROM webhook_destinations ORDER BY id');
			expect(rows).toEqual([
				{ id: 'd0', template: DEFAULT_TEMPLATE },
				{ id: 'd1', template: DEFAULT_TEMPLATE },
				{ id: 'd2', template: '{{rule}} is {{state}}' }
			]);
		} finally {
			await closeDb(path);
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('0012 rebuilds the growing rollup tables without their keys, keeping rows, order and defaults', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'cx-test-'));
		const path = join(dir, 'cx.duckdb');
		const tables = ['rollup_minute', 'rollup_latency', 'rollup_customer_day'];
		try {
			const db = await openDb(path);
			await migrate(db, MIGRATIONS.filter((m) => m.id < 12));
			await db.run(`INSERT INTO rollup_minute (minute, channel, segment, events, purchase_value)
				SELECT TIMESTAMP '2026-01-01' + (3 - i) * INTERVAL 1 MINUTE, 'web', 'smb', i + 1, 2.5 * i FROM range(3) t(i)`);
			await db.run(`INSERT INTO rollup_latency SELECT TIMESTAMP '2026-01-01', 'chat', 'vip', 'frt', i, 10 - i FROM range(2) t(i)`);
			await db.run(`INSERT INTO rollup_customer_day SELECT DATE '2026-01-01' + (2 - i)::INTEGER, 'c-' || i, 'app', 'default', i, 1, 0 FROM range(2) t(i)`);
			const read = () => Promise.all(tables.map((t) => db.all<Record<string, unknown>>(`SELECT * FROM ${t}`)));
			const before = await read();
			expect(before.map((rows) => rows.length)).toEqual([3, 2, 2]);
			expect((await migrate(db, MIGRATIONS.filter((m) => m.id <= 12))).applied).toEqual(['0012-drop-rollup-keys']);
			expect(await read()).toEqual(before);
			const keys = await db.all(
				`SELECT table_name FROM duckdb_constraints() WHERE table_name IN ('${tables.join("', '")}') AND constraint_type = 'PRIMARY KEY'`
			);
			expect(keys).toEqual([]);
			await db.run("INSERT INTO rollup_minute (minute, channel, segment, new_customers) VALUES (TIMESTAMP '2026-01-02', 'web', 'smb', 1)");
			const added = await db.one<{ events: number; tickets_fcr: number; new_customers: number }>(
				"SELECT events, tickets_fcr, new_customers FROM rollup_minute WHERE minute = TIMESTAMP '2026-01-02'"
			);
			expect(added).toEqual({ events: 0, tickets_fcr: 0, new_customers: 1 });
		} finally {
			await closeDb(path);
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('0013 gives existing scores an empty last history point, keeping them', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'cx-test-'));
		const path = join(dir, 'cx.duckdb');
		try {
			const db = await openDb(path);
			await migrate(db, MIGRATIONS.filter((m) => m.id < 13));
			await db.run("INSERT INTO scores VALUES ('c1', 'v0001', 0.4, 'medium', NULL, TIMESTAMP '2026-01-01')");
			expect((await migrate(db)).applied[0]).toBe('0013-score-history-points');
			const row = await db.one<Record<string, unknown>>('SELECT customer_id, probability, history_probability, history_at FROM scores');
			expect(row).toEqual({ customer_id: 'c1', probability: 0.4, history_probability: null, history_at: null });
		} finally {
			await closeDb(path);
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
