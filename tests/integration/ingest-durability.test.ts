// kill -9 right after 200s: every acknowledged event is in the database after a restart, exactly once.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { startServer, ROOT, type TestServer } from '../helpers/server';
import { anEvent, toNdjson } from '../fixtures/events';

const dir = mkdtempSync(join(tmpdir(), 'cx-ingest-kill-'));
let srv: TestServer | undefined;
afterAll(async () => {
	await srv?.stop({ keepDir: true }).catch(() => undefined);
	rmSync(dir, { recursive: true, force: true });
});

function createKey(dbPath: string): string {
	const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'keys', 'create', '--scope', 'ingest', '--db', dbPath], {
		cwd: ROOT,
		encoding: 'utf8'
	});
	if (r.status !== 0) throw new Error(`keys create failed: ${r.stderr}`);
	return r.stdout.trim().split('\n').pop()!.trim();
}

describe('durability', () => {
	it('keeps every acknowledged event across SIGKILL', async () => {
		const dbPath = join(dir, 'cx.duckdb');
		const key = createKey(dbPath);
		srv = await startServer({ dir });
		const acked: string[] = [];
		const post = (events: ReturnType<ReturnType<typeof anEvent>['build']>[]) =>
			fetch(`${srv!.url}/api/v1/events`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${key}` },
				body: toNdjson(events)
			});
		for (let b = 0; b < 8; b++) {
			const events = Array.from({ length: 500 }, (_, i) =>
				anEvent().withId(`k-${b}-${i}`).withCustomer(`kc${i % 50}`).withType(i % 7 === 0 ? 'purchase' : 'visit').withValue(i).build()
			);
			// Several requests in flight at once: acknowledged ones may have shared a group commit.
			const [r1, r2] = await Promise.all([post(events.slice(0, 250)), post(events.slice(250))]);
			expect([r1.status, r2.status]).toEqual([200, 200]);
			expect((await r1.json()) as object).toEqual({ accepted: 250, duplicates: 0 });
			expect((await r2.json()) as object).toEqual({ accepted: 250, duplicates: 0 });
			acked.push(...events.map((e) => e.event_id!));
		}
		// One more request that may or may not be acknowledged when the process dies.
		const inFlight = post([anEvent().withId('maybe').build()]).catch(() => undefined);
		await srv.kill();
		await inFlight;

		srv = await startServer({ dir });
		const health = await fetch(`${srv.url}/api/v1/health`);
		expect(health.status).toBe(200);
		await srv.stop({ keepDir: true });
		srv = undefined;

		const db = await getDb(dbPath);
		try {
			const rows = await db.all<{ event_id: string; n: number }>(
				"SELECT event_id, count(*) AS n FROM events WHERE event_id LIKE 'k-%' GROUP BY event_id"
			);
			expect(rows.length).toBe(acked.length);
			expect(rows.every((r) => r.n === 1)).toBe(true);
			expect(new Set(rows.map((r) => r.event_id))).toEqual(new Set(acked));
			const state = await db.one<{ n: number }>("SELECT sum(event_count) AS n FROM customer_state WHERE customer_id LIKE 'kc%'");
			expect(state?.n).toBe(acked.length);
		} finally {
			await shutdownDb(dbPath);
		}
	}, 180_000);
});
