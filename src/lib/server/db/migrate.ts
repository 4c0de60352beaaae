// Numbered migrations, applied in order, each in its own transaction, recorded in schema_migrations.
import type { Db } from './database';
import { MIGRATIONS, type Migration } from './migrations';

export interface MigrateResult {
	applied: string[];
	alreadyApplied: number;
}

export async function migrate(db: Db, migrations: Migration[] = MIGRATIONS): Promise<MigrateResult> {
	await db.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
		id INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
	)`);
	const done = new Set(
		(await db.all<{ id: number }>('SELECT id FROM schema_migrations')).map((r) => r.id)
	);
	const applied: string[] = [];
	for (const m of [...migrations].sort((a, b) => a.id - b.id)) {
		if (done.has(m.id)) continue;
		await db.write(async (conn) => {
			await conn.run(m.sql);
			await conn.run('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [m.id, m.name]);
		});
		applied.push(`${String(m.id).padStart(4, '0')}-${m.name}`);
	}
	return { applied, alreadyApplied: done.size };
}
