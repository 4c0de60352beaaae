// Stopping the built server while events arrive over HTTP, the demo streams and the alert loop ticks:
// every writer stops (each after its batch or tick in progress) before the one final checkpoint, so the
// process exits by itself, the file needs no .wal, and every event the server acknowledged is in it.
// Ctrl-C signals the server twice (terminal and npm): a copy that arrives while Node exits kills the
// process outright, so nothing may be written after the checkpoint.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { withDbAt } from '../helpers/temp-db';
import { ROOT, startServer, type TestServer } from '../helpers/server';
import { anEvent, toNdjson } from '../fixtures/events';

const dir = mkdtempSync(join(tmpdir(), 'cx-shutdown-'));
const dbPath = join(dir, 'cx.duckdb');
let srv: TestServer | undefined;
afterAll(async () => {
	await srv?.stop({ keepDir: true }).catch(() => undefined);
	rmSync(dir, { recursive: true, force: true });
});

function createKey(): string {
	const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'keys', 'create', '--scope', 'ingest', '--db', dbPath], {
		cwd: ROOT,
		encoding: 'utf8'
	});
	if (r.status !== 0) throw new Error(`keys create failed: ${r.stderr}`);
	return r.stdout.trim().split('\n').pop()!.trim();
}

describe('server shutdown', () => {
	it('stops the writers, then checkpoints once, while ingest and alert ticks run', async () => {
		const key = createKey();
		srv = await startServer({
			dir,
			env: { CX_LOG_LEVEL: 'info', CX_TICK_MS: '100', CX_DEMO: 'on', CX_DEMO_CUSTOMERS: '300', CX_DEMO_DAYS: '3', CX_DEMO_RATE: '400' }
		});
		const s = srv;
		await vi.waitFor(() => expect(s.output()).toMatch(/demo: seeded \d+ customers/), { timeout: 60_000, interval: 100 });
		const exited = new Promise<void>((r) => (s.proc.exitCode !== null ? r() : s.proc.once('exit', () => r())));

		const acked: string[] = [];
		let batch = 0;
		// Two senders, each posting its next batch as soon as the last is answered, until the server is gone.
		const sender = async (who: number) => {
			for (;;) {
				const events = Array.from({ length: 200 }, (_, i) =>
					anEvent().withId(`s${who}-${batch}-${i}`).withCustomer(`sc${i % 40}`).withType(i % 9 === 0 ? 'complaint' : 'visit').build()
				);
				batch += 1;
				const r = await fetch(`${s.url}/api/v1/events`, {
					method: 'POST',
					headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${key}` },
					body: toNdjson(events)
				}).catch(() => null);
				if (!r) return;
				if (r.status !== 200) return;
				const body = (await r.json()) as { accepted: number };
				expect(body.accepted).toBe(200);
				acked.push(...events.map((e) => e.event_id!));
			}
		};
		const senders = Promise.all([sender(1), sender(2)]);
		await vi.waitFor(() => expect(acked.length).toBeGreaterThanOrEqual(2_000), { timeout: 30_000, interval: 50 });
		// Ctrl-C: the terminal's SIGINT, then npm's copy a moment later.
		s.proc.kill('SIGINT');
		await new Promise((r) => setTimeout(r, 20));
		s.proc.kill('SIGINT');
		await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
		await senders;

		expect(s.proc.exitCode, s.output()).toBe(0);
		const summary = /shutdown: stopped ([^;\n]+) in \d+ ms; checkpoint done in \d+ ms$/m.exec(s.output());
		expect(summary, s.output()).not.toBeNull();
		expect(summary![1].split(', ').sort()).toEqual(['alerts', 'churn scorer', 'debt recompute', 'demo', 'live ticker']);
		// Nothing was written after the checkpoint, so nothing was left to write while Node exited.
		expect(existsSync(`${dbPath}.wal`), s.output()).toBe(false);
		srv = undefined;

		const stored = await withDbAt(dbPath, (db) =>
			db.all<{ event_id: string }>("SELECT event_id FROM events WHERE event_id LIKE 's1-%' OR event_id LIKE 's2-%'")
		);
		const ids = new Set(stored.map((r) => r.event_id));
		expect(acked.filter((id) => !ids.has(id))).toEqual([]);
	}, 180_000);
});
