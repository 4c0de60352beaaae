// The demo as the real server runs it: health answers while the history is seeded, live events
// follow, nothing judges customers before the history is complete, a restart on the same database
// streams without seeding again, and a database with imported data gets no demo.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestEvents } from '../../src/lib/server/ingest';
import { aPurchase } from '../fixtures/events';
import { startServer, type TestServer } from '../helpers/server';
import { withDbAt } from '../helpers/temp-db';

let servers: TestServer[] = [];
afterEach(async () => {
	for (const s of servers) await s.stop();
	servers = [];
});

async function waitForOutput(s: TestServer, pattern: RegExp, timeoutMs: number, whileWaiting?: () => Promise<void>): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (!pattern.test(s.output())) {
		if (Date.now() > until) throw new Error(`no ${pattern} in server output:\n${s.output()}`);
		await whileWaiting?.();
		await new Promise((r) => setTimeout(r, 100));
	}
}

interface Health {
	status: string;
	last_event_age_s: number | null;
}

describe('demo in the server', () => {
	it('answers health while seeding, then streams; a restart does not seed again', { timeout: 180_000 }, async () => {
		const env = { CX_DEMO: 'on', CX_DEMO_CUSTOMERS: '2000', CX_DEMO_DAYS: '90', CX_DEMO_RATE: '30', CX_LOG_LEVEL: 'info' };
		const first = await startServer({ env });
		servers.push(first);
		const latencies: number[] = [];
		const probe = async () => {
			const t = Date.now();
			const r = await fetch(`${first.url}/api/v1/health`);
			expect(r.status).toBe(200);
			await r.json();
			latencies.push(Date.now() - t);
		};
		await waitForOutput(first, /demo: seeded 2000 customers/, 120_000, probe);
		expect(first.output()).toMatch(/demo: seeding 2000 customers x 90 days/);
		expect(first.output()).toMatch(/demo: seeded day 45\/90 \(50 %\)/);
		expect(latencies.length).toBeGreaterThan(3);
		expect(Math.max(...latencies)).toBeLessThan(3000);

		await waitForOutput(first, /demo live: \d+ customers/, 30_000);
		// Customers were judged on their whole history only (ingest/history-load.ts): the scorer's first
		// round and every work item came after the seeding.
		await waitForOutput(first, /churn scorer: scored \d+ customers/, 30_000);
		const out = first.output();
		const seeded = out.indexOf('demo: seeded 2000 customers');
		expect(out.search(/churn scorer: scored \d+ customers/)).toBeGreaterThan(seeded);
		expect([...out.matchAll(/alerts: \d+ work item\(s\) opened/g)].filter((m) => m.index < seeded)).toEqual([]);
		await new Promise((r) => setTimeout(r, 3000));
		const h = (await (await fetch(`${first.url}/api/v1/health`)).json()) as Health;
		expect(h.last_event_age_s).not.toBeNull();
		expect(h.last_event_age_s!).toBeLessThanOrEqual(5);
		await first.stop({ keepDir: true });
		servers = [];

		const second = await startServer({ env, dir: first.dir });
		servers.push(second);
		await waitForOutput(second, /demo live: \d+ customers/, 60_000);
		expect(second.output()).not.toMatch(/demo: seeding/);
	});

	it('leaves a database with imported data alone: no demo customers, one line saying why', { timeout: 120_000 }, async () => {
		const dir = mkdtempSync(join(tmpdir(), 'cx-srv-imported-'));
		try {
			const events = [aPurchase('17850', 120).at('2011-12-01T08:26:00Z'), aPurchase('13047', 55).at('2011-12-01T08:34:00Z')].map((e) => e.build());
			await withDbAt(join(dir, 'cx.duckdb'), (db) => ingestEvents(db, events, { source: 'import' }));
			// As the docs say to start it: the demo is on by default.
			const s = await startServer({ env: { CX_DEMO: undefined, CX_LOG_LEVEL: 'info' }, dir });
			servers.push(s);
			await waitForOutput(s, /demo: not started/, 30_000);
			await new Promise((r) => setTimeout(r, 3000));
			await s.stop();
			servers = [];
			expect(s.output()).toContain('INFO  demo: not started: this database holds imported data (2 customers, 2 events, none from the demo); set CX_DEMO=off to silence this');
			expect(s.output()).not.toMatch(/demo live|demo: seed/);
			const after = await withDbAt(join(dir, 'cx.duckdb'), (db) =>
				db.one<{ customers: number; events: number }>('SELECT (SELECT count(*) FROM customers)::INTEGER AS customers, (SELECT count(*) FROM events)::INTEGER AS events')
			);
			expect(after).toEqual({ customers: 2, events: 2 });
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
