// The demo world through the real ingest path into a real DuckDB file: volume and speed of the
// default seed, idempotent re-seeding, the live stream continuing the stored world, and start-up.
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../src/lib/server/config';
import { createHistoryRun, seedDemoHistory, startDemo, startLiveDemo, stopDemo } from '../../src/lib/server/demo';
import { loadWorld } from '../../src/lib/server/demo/load-world';
import { ingestEvents, upsertCustomers } from '../../src/lib/server/ingest';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb | undefined;
afterEach(async () => {
	await stopDemo();
	await t?.cleanup();
	t = undefined;
});

function demoConfig(env: Record<string, string>): Config {
	const r = parseConfig({ CX_LOG_LEVEL: 'warn', ...env });
	if (!r.ok) throw new Error(r.errors.join('; '));
	return r.value;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		if (await check()) return;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`timed out waiting for ${what}`);
}

const count = async (sql: string, params?: (string | number)[]) => (await t!.db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${sql}`, params))!.n;

describe('demo history through ingest', () => {
	it('seeds 5,000 customers x 180 days in under 60 s with every event accepted', { timeout: 120_000 }, async () => {
		t = await tempDb();
		const progress: number[] = [];
		const r = await seedDemoHistory(t.db, { customers: 5000, days: 180, seed: 42 }, (p) => progress.push(p.day));
		if (!r.ok) throw new Error(r.error);
		expect(r.value.ms).toBeLessThan(60_000);
		expect(r.value.accepted).toBe(r.value.events);
		expect(r.value.events).toBeGreaterThan(100_000);
		expect(r.value.events).toBeLessThan(200_000);
		expect(progress.at(-1)).toBe(180);
		expect(progress.length).toBeGreaterThanOrEqual(10);
		expect(await count('events')).toBe(r.value.events);
		expect(await count('customers')).toBe(5000);
		const types = await t.db.all<{ type: string }>('SELECT DISTINCT type FROM events');
		expect(types.map((x) => x.type).sort()).toEqual(
			['cancellation', 'complaint', 'praise', 'purchase', 'refund', 'signup', 'support_opened', 'support_reopened', 'support_reply', 'support_solved', 'survey_ces', 'survey_csat', 'survey_nps', 'visit'].sort()
		);
		// The product's own debt tracking sees customers crossing their limit.
		expect(await count('customer_debt WHERE crossed_at IS NOT NULL')).toBeGreaterThan(20);
	});

	it('adds nothing when the same world is seeded again', async () => {
		t = await tempDb();
		const opts = { customers: 300, days: 30, seed: 9, end: new Date(Date.UTC(2026, 0, 1)) };
		const a = await seedDemoHistory(t.db, opts);
		const b = await seedDemoHistory(t.db, opts);
		if (!a.ok || !b.ok) throw new Error('seed failed');
		expect(a.value.accepted).toBe(a.value.events);
		expect(b.value.accepted).toBe(0);
		expect(b.value.duplicates).toBe(a.value.events);
	});
});

describe('rebuilding the world from the database', () => {
	it('knows who cancelled, continues the numbering and spots most disengaged customers', { timeout: 60_000 }, async () => {
		t = await tempDb();
		// A fixed end: the generated world depends on where its days fall, and with the wall clock
		// the share of quiet customers found swung between 0.28 and 0.53 from one hour to the next.
		const end = new Date(Date.UTC(2026, 0, 1));
		const run = createHistoryRun({ customers: 800, days: 120, seed: 4, end });
		for (const chunk of run.chunks()) {
			const c = await upsertCustomers(t.db, chunk.customers);
			const e = await ingestEvents(t.db, chunk.events, { source: 'demo' });
			if (!c.ok || !e.ok) throw new Error('ingest failed');
		}
		const { world } = await loadWorld(t.db, 4, end.getTime());
		expect(world.eventCounter).toBe(run.world.eventCounter);
		expect(world.ticketCounter).toBe(run.world.ticketCounter);
		let disengaged = 0;
		let found = 0;
		let active = 0;
		let falseAlarms = 0;
		for (const truth of run.world.customers) {
			const loaded = world.byId.get(truth.id);
			expect(loaded?.state === 'cancelled').toBe(truth.state === 'cancelled');
			if (truth.state === 'disengaged') {
				disengaged++;
				if (loaded?.state === 'disengaged') found++;
			} else if (truth.state === 'active') {
				active++;
				if (loaded?.state === 'disengaged') falseAlarms++;
			}
		}
		expect(disengaged).toBeGreaterThan(10);
		expect(found / disengaged).toBeGreaterThan(0.3);
		expect(falseAlarms / active).toBeLessThan(0.05);
	});
});

describe('live demo', () => {
	it('continues the stored world at about the requested rate with current timestamps', { timeout: 60_000 }, async () => {
		t = await tempDb();
		const seeded = await seedDemoHistory(t.db, { customers: 400, days: 30, seed: 3 });
		if (!seeded.ok) throw new Error(seeded.error);
		const lastId = await t.db.one<{ n: number }>("SELECT max(split_part(event_id, '-', 3)::BIGINT) AS n FROM events");
		const started = Date.now();
		let accepted = 0;
		const stop = await startLiveDemo(t.db, { rate: 40, seed: 3, intervalMs: 200, onBatch: (b) => (accepted += b.accepted) });
		await new Promise((r) => setTimeout(r, 4000));
		await stop();
		const seconds = (Date.now() - started) / 1000;
		expect(accepted).toBeGreaterThan(40 * seconds * 0.3);
		expect(accepted).toBeLessThan(40 * seconds * 3);
		const live = await t.db.all<{ event_id: string; at: number; customer_id: string; known: boolean }>(
			`SELECT e.event_id, epoch_ms(e.occurred_at) AS at, e.customer_id,
				EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = e.customer_id) AS known
			FROM events e WHERE split_part(e.event_id, '-', 3)::BIGINT > $1`,
			[lastId!.n]
		);
		expect(live.length).toBe(accepted);
		for (const e of live) {
			expect(e.event_id).toMatch(/^demo-3-\d+$/);
			expect(e.at).toBeGreaterThanOrEqual(started - 1000);
			expect(e.at).toBeLessThanOrEqual(Date.now());
			expect(e.known).toBe(true);
		}
		// Customers who cancelled in the history stay gone.
		const afterCancel = await count(
			`events e JOIN (SELECT customer_id, max(occurred_at) AS at FROM events WHERE type = 'cancellation' GROUP BY 1) x
				ON x.customer_id = e.customer_id AND e.occurred_at > x.at AND e.type IN ('visit', 'purchase')`
		);
		expect(afterCancel).toBe(0);
	});
});

describe('live demo after seeding', () => {
	it('continues the generator\'s own world: customers who gave up in the history stay mostly away', { timeout: 60_000 }, async () => {
		t = await tempDb();
		const seeded = await seedDemoHistory(t.db, { customers: 400, days: 120, seed: 5 });
		if (!seeded.ok) throw new Error(seeded.error);
		const world = seeded.value.world;
		const counter = world.eventCounter;
		const gone = new Set(world.customers.filter((c) => c.state === 'disengaged').map((c) => c.id));
		const active = new Set(world.customers.filter((c) => c.state === 'active').map((c) => c.id));
		expect(gone.size).toBeGreaterThan(5);
		const stop = await startLiveDemo(t.db, { rate: 2000, seed: 5, intervalMs: 200, world });
		await new Promise((r) => setTimeout(r, 3000));
		await stop();
		// The given world is the one that streamed, numbering on from the history.
		expect(world.eventCounter).toBeGreaterThan(counter);
		const acts = await t.db.all<{ customer_id: string; n: number }>(
			`SELECT customer_id, count(*)::INTEGER AS n FROM events
			 WHERE split_part(event_id, '-', 3)::BIGINT > $1 AND type IN ('visit', 'purchase') GROUP BY 1`,
			[counter]
		);
		const perCustomer = (ids: Set<string>) => acts.filter((a) => ids.has(a.customer_id)).reduce((n, a) => n + a.n, 0) / ids.size;
		// Disengaged customers visit at a fifth and buy at 6 % of their usual rate; rebuilt from the database,
		// over half of them would have counted as active.
		expect(perCustomer(active)).toBeGreaterThan(1);
		expect(perCustomer(gone) / perCustomer(active)).toBeLessThan(0.4);
	});
});

describe('demo start-up step', () => {
	it('seeds an empty database in the background, then streams; a restart does not seed again', { timeout: 60_000 }, async () => {
		t = await tempDb();
		const cfg = demoConfig({ CX_DEMO: 'on', CX_DEMO_CUSTOMERS: '300', CX_DEMO_DAYS: '20', CX_DEMO_RATE: '50', CX_DEMO_SEED: '5' });
		const began = Date.now();
		await startDemo(t.db, cfg);
		expect(Date.now() - began).toBeLessThan(2000);
		await waitFor('seeded customers', async () => (await count('customers')) >= 300);
		await waitFor('live events', async () => (await count('events WHERE occurred_at >= $1::TIMESTAMP', [new Date(began).toISOString()])) > 20);
		await stopDemo();
		const oldEvents = await count('events WHERE occurred_at < $1::TIMESTAMP', [new Date(began).toISOString()]);
		const customers = await count("customers WHERE signed_up_at < $1::TIMESTAMP", [new Date(began).toISOString()]);

		await startDemo(t.db, cfg);
		await new Promise((r) => setTimeout(r, 1500));
		await stopDemo();
		expect(await count('events WHERE occurred_at < $1::TIMESTAMP', [new Date(began).toISOString()])).toBe(oldEvents);
		expect(await count("customers WHERE signed_up_at < $1::TIMESTAMP", [new Date(began).toISOString()])).toBe(customers);
	});

	it('does nothing when CX_DEMO is off', async () => {
		t = await tempDb();
		await startDemo(t.db, demoConfig({ CX_DEMO: 'off' }));
		await new Promise((r) => setTimeout(r, 500));
		expect(await count('events')).toBe(0);
		expect(await count('customers')).toBe(0);
	});
});
