// Numbered migrations, applied in order, each in its own transaction, recorded in schema_migrations.
import type { Db } from './database';
import { MIGRATIONS, type Migration } from './migrations';

export interface MigrateResult {
	applied: string[];
	alreadyApplied: number;
}

/** Migration progress for the log: a database that already had a schema is being upgraded. */
export interface MigrateReport {
	start: (name: string) => void;
	done: (name: string, seconds: number) => void;
}

/** The database was migrated by a newer version: this one would fail on the schema it does not know. */
export class NewerSchemaError extends Error {
	constructor(
		readonly path: string,
		readonly unknown: string[]
	) {
		super(
			`the database ${path} was migrated by a newer cx-command (${unknown.join(', ')}), which this version does not know; ` +
				'run the newer version, or restore the backup taken before the upgrade (docs/operations.md, "Upgrading")'
		);
		this.name = 'NewerSchemaError';
	}
}

const label = (m: { id: number; name: string }) => `${String(m.id).padStart(4, '0')}-${m.name}`;

export async function migrate(db: Db, migrations: Migration[] = MIGRATIONS, report?: MigrateReport): Promise<MigrateResult> {
	await db.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
		id INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
	)`);
	const rows = await db.all<{ id: number; name: string }>('SELECT id, name FROM schema_migrations ORDER BY id');
	const done = new Set(rows.map((r) => r.id));
	// An older build on a newer database starts, reports healthy and then fails on every write its SQL
	// no longer fits; refuse at once instead.
	const known = new Set(MIGRATIONS.map((m) => m.id));
	const unknown = rows.filter((r) => !known.has(r.id));
	if (unknown.length) throw new NewerSchemaError(db.path, unknown.map(label));
	const applied: string[] = [];
	for (const m of [...migrations].sort((a, b) => a.id - b.id)) {
		if (done.has(m.id)) continue;
		const name = label(m);
		const t0 = performance.now();
		if (done.size) report?.start(name);
		await db.write(async (conn) => {
			await conn.run(m.sql);
			await conn.run('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [m.id, m.name]);
		});
		if (done.size) report?.done(name, (performance.now() - t0) / 1000);
		applied.push(name);
	}
	return { applied, alreadyApplied: done.size };
}
