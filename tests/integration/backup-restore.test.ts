// The two backup procedures docs/operations.md describes, proven: (1) copy the file of a stopped server,
// (2) EXPORT DATABASE / IMPORT DATABASE while no server holds the file. A server starts on each restored file
// with every event, user and key intact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from '../helpers/server';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { anEvent } from '../fixtures/events';
import { signInOver } from './auth-http';

const dirs: string[] = [];
const tempDir = (p: string) => {
	const d = mkdtempSync(join(tmpdir(), p));
	dirs.push(d);
	return d;
};

let original: TestServer;
let adminPassword: string;
let key: string;
let accepted = 0;

beforeAll(async () => {
	const dir = tempDir('cx-backup-src-');
	const db = await getDb(join(dir, 'cx.duckdb'));
	try {
		const k = await createApiKey(db, { scope: 'admin', name: 'backup', createdBy: 'test' });
		if (!k.ok) throw new Error(k.error);
		key = k.value.token;
	} finally {
		await shutdownDb(join(dir, 'cx.duckdb'));
	}
	original = await startServer({ dir });
	adminPassword = original.adminPassword()!;
	const events = Array.from({ length: 25 }, (_, i) =>
		anEvent()
			.withCustomer(`cust-${i % 5}`)
			.at(new Date(Date.now() - i * 60_000))
			.build()
	);
	const r = await fetch(`${original.url}/api/v1/events`, {
		method: 'POST',
		headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
		body: JSON.stringify(events)
	});
	expect(r.status).toBe(200);
	accepted = ((await r.json()) as { accepted: number }).accepted;
	expect(accepted).toBe(events.length);
	// A graceful stop checkpoints: the .duckdb file alone is then the whole database.
	await original.stop({ keepDir: true });
});

afterAll(() => {
	for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function countEvents(dbPath: string): Promise<number> {
	const db = await getDb(dbPath);
	try {
		return Number((await db.one<{ n: bigint }>('SELECT count(*) AS n FROM events'))!.n);
	} finally {
		await shutdownDb(dbPath);
	}
}

/** Starts a server on a restored file and checks events, the admin's password and the API key survived. */
async function expectServesRestored(dir: string) {
	const s = await startServer({ dir });
	try {
		expect(s.adminPassword(), 'a restored database must not create a new admin').toBeUndefined();
		expect((await signInOver(s, 'admin', adminPassword)).status).toBe(303);
		const me = await fetch(`${s.url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } });
		expect(me.status).toBe(200);
	} finally {
		await s.stop({ keepDir: true });
	}
	expect(await countEvents(join(dir, 'cx.duckdb'))).toBe(accepted);
}

describe('backup and restore', () => {
	it('copying the file of a stopped server', async () => {
		const src = join(original.dir, 'cx.duckdb');
		expect(existsSync(`${src}.wal`), 'graceful stop left a WAL behind; copy it too or checkpoint first').toBe(false);
		const dir = tempDir('cx-backup-copy-');
		copyFileSync(src, join(dir, 'cx.duckdb'));
		await expectServesRestored(dir);
	});

	it('EXPORT DATABASE to Parquet, IMPORT DATABASE into a new file', async () => {
		const src = join(original.dir, 'cx.duckdb');
		const exportDir = join(tempDir('cx-backup-export-'), 'dump');
		const db = await getDb(src);
		try {
			await db.run(`EXPORT DATABASE '${exportDir}' (FORMAT parquet)`);
		} finally {
			await shutdownDb(src);
		}
		const dir = tempDir('cx-backup-import-');
		const { DuckDBInstance } = await import('@duckdb/node-api');
		const inst = await DuckDBInstance.create(join(dir, 'cx.duckdb'));
		const conn = await inst.connect();
		try {
			await conn.run(`IMPORT DATABASE '${exportDir}'`);
		} finally {
			conn.closeSync();
			inst.closeSync();
		}
		await expectServesRestored(dir);
	});
});
