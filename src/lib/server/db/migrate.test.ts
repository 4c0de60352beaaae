import { afterEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';

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
});
