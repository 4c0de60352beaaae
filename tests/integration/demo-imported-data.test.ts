// The demo invents customers, so it never runs on a database that holds someone's real data (QA 2026-12-07:
// an Online Retail import of 4,372 customers had 500 invented ones added at server start). Real DuckDB files,
// the server's start-up function, and the CLI as a child process.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig, type Config } from '../../src/lib/server/config';
import type { Db } from '../../src/lib/server/db';
import { seedDemoHistory, startDemo, startLiveDemo, stopDemo } from '../../src/lib/server/demo';
import { ingestEvents, upsertCustomers } from '../../src/lib/server/ingest';
import { log } from '../../src/lib/server/log';
import { aPurchase, anEvent } from '../fixtures/events';
import { ROOT } from '../helpers/server';
import { tempDb, tempDirForFile, withDbAt, type TempDb } from '../helpers/temp-db';

const dir = tempDirForFile('cx-demo-imported-');
let t: TempDb | undefined;
afterEach(async () => {
	vi.restoreAllMocks();
	await stopDemo();
	await t?.cleanup();
	t = undefined;
});

function demoConfig(env: Record<string, string>): Config {
	const r = parseConfig({ CX_LOG_LEVEL: 'warn', CX_DEMO: 'on', CX_DEMO_CUSTOMERS: '40', CX_DEMO_DAYS: '5', CX_DEMO_RATE: '50', ...env });
	if (!r.ok) throw new Error(r.errors.join('; '));
	return r.value;
}

const count = async (sql: string, params?: (string | number)[]) => (await t!.db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${sql}`, params))!.n;

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		if (await check()) return;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`timed out waiting for ${what}`);
}

/** Three customers' purchases and a refund, as `cx import` stores them (source 'import'). */
async function importSome(db: Db): Promise<void> {
	const events = [
		aPurchase('17850', 120).at('2011-12-01T08:26:00Z'),
		aPurchase('17850', 30).at('2011-12-02T09:00:00Z'),
		aPurchase('13047', 55).at('2011-12-01T08:34:00Z'),
		aPurchase('12583', 80).at('2011-12-01T08:45:00Z'),
		anEvent().withCustomer('12583').withType('refund').withValue(20).at('2011-12-03T10:00:00Z')
	].map((e) => e.build());
	const r = await ingestEvents(db, events, { source: 'import' });
	if (!r.ok || r.value.accepted !== 5) throw new Error('import failed');
}

/** Captures the INFO lines the demo logs from here on. */
function infoLines(): string[] {
	const lines: string[] = [];
	vi.spyOn(log, 'info').mockImplementation((msg: string) => void lines.push(msg));
	return lines;
}

describe('demo at server start on a database with imported data', () => {
	it('starts nothing, adds no customer and says why in one INFO line', async () => {
		t = await tempDb();
		await importSome(t.db);
		const lines = infoLines();
		await startDemo(t.db, demoConfig({}));
		// Seeding and the stream run in the background: give them time to show up if they were started.
		await new Promise((r) => setTimeout(r, 2000));
		await stopDemo();
		expect(await count('customers')).toBe(3);
		expect(await count('events')).toBe(5);
		expect(await count("events WHERE source = 'demo'")).toBe(0);
		expect(lines).toEqual(['demo: not started: this database holds imported data (3 customers, 5 events, none from the demo); set CX_DEMO=off to silence this']);
	});

	it('treats customers imported without events (cx import-customers) as real data too', async () => {
		t = await tempDb();
		const r = await upsertCustomers(t.db, [{ customer_id: 'acme', name: 'Acme Ltd', segment: 'smb' }]);
		if (!r.ok) throw new Error('upsert failed');
		const lines = infoLines();
		await startDemo(t.db, demoConfig({}));
		await new Promise((r) => setTimeout(r, 2000));
		await stopDemo();
		expect(await count('customers')).toBe(1);
		expect(await count('events')).toBe(0);
		expect(lines).toEqual(['demo: not started: this database holds imported data (1 customer, 0 events, none from the demo); set CX_DEMO=off to silence this']);
	});

	it('still continues a demo world that imported events were added to', { timeout: 60_000 }, async () => {
		t = await tempDb();
		const seeded = await seedDemoHistory(t.db, { customers: 60, days: 10, seed: 8 });
		if (!seeded.ok) throw new Error(seeded.error);
		await importSome(t.db);
		const began = new Date().toISOString();
		await startDemo(t.db, demoConfig({ CX_DEMO_SEED: '8' }));
		await waitFor('live demo events', async () => (await count("events WHERE source = 'demo' AND occurred_at >= $1::TIMESTAMP", [began])) > 10);
		await stopDemo();
		// Not seeded again: the history's customers, the imported ones and live signups only.
		expect(await count("customers WHERE NOT starts_with(customer_id, 'demo-c')")).toBe(3);
		expect(await count("customers WHERE signed_up_at < $1::TIMESTAMP AND starts_with(customer_id, 'demo-c')", [began])).toBe(seeded.value.customers);
	});
});

describe('live demo on a world whose customers have all cancelled', () => {
	it('streams at about its rate from 500 newcomers (it stored nothing before)', { timeout: 60_000 }, async () => {
		t = await tempDb();
		const seeded = await seedDemoHistory(t.db, { customers: 30, days: 5, seed: 12 });
		if (!seeded.ok) throw new Error(seeded.error);
		const ids = (await t.db.all<{ customer_id: string }>("SELECT customer_id FROM customers WHERE starts_with(customer_id, 'demo-c')")).map((r) => r.customer_id);
		const gone = new Date(Date.now() - 60_000).toISOString();
		const cancelled = await ingestEvents(
			t.db,
			ids.map((id) => anEvent().withId(`demo-12-gone-${id}`).withCustomer(id).withType('cancellation').at(gone).build()),
			{ source: 'demo' }
		);
		if (!cancelled.ok) throw new Error('cancellations rejected');
		const started = Date.now();
		let accepted = 0;
		const stop = await startLiveDemo(t.db, { rate: 40, seed: 12, intervalMs: 200, onBatch: (b) => (accepted += b.accepted) });
		await new Promise((r) => setTimeout(r, 4000));
		await stop();
		const seconds = (Date.now() - started) / 1000;
		expect(await count("customers WHERE starts_with(customer_id, 'demo-c')")).toBeGreaterThanOrEqual(ids.length + 500);
		expect(accepted).toBeGreaterThan(40 * seconds * 0.3);
		expect(accepted).toBeLessThan(40 * seconds * 3);
		// Only the newcomers act: the cancelled customers stay gone.
		const byGone = await count(`events WHERE occurred_at >= $1::TIMESTAMP AND customer_id IN (${ids.map((_, i) => `$${i + 2}`).join(', ')})`, [
			new Date(started).toISOString(),
			...ids
		]);
		expect(byGone).toBe(0);
	});
});

/** `npm run cx -- …` as a child process; a command that streams instead of refusing is stopped after a while. */
function cx(...args: string[]) {
	return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
}

describe('cx demo on a database with imported data', { timeout: 120_000 }, () => {
	it('refuses, seeding and --live alike, with exit code 1 and nothing added', async () => {
		const db = join(dir, 'imported.duckdb');
		await withDbAt(db, importSome);
		const message = `cx demo: this database holds imported data (3 customers, 5 events, none from the demo) and the demo would add invented customers to it; run the demo on another database (--db PATH) (${db})`;
		for (const args of [['demo', '--customers', '20', '--days', '3'], ['demo', '--customers', '20', '--days', '3', '--live']]) {
			const r = cx(...args, '--db', db);
			expect(r.status, r.stdout + r.stderr).toBe(1);
			expect(r.stderr.trim().split('\n').at(-1)).toBe(message);
			expect(r.stdout).not.toMatch(/seeded|streaming/);
		}
		const after = await withDbAt(db, (d) => d.one<{ customers: number; events: number }>('SELECT (SELECT count(*) FROM customers)::INTEGER AS customers, (SELECT count(*) FROM events)::INTEGER AS events'));
		expect(after).toEqual({ customers: 3, events: 5 });
	});
});
