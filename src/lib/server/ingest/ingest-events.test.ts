import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anEvent, aPurchase } from '../../../../tests/fixtures/events';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { ingestEvents, upsertCustomers } from './index';

let t: TempDb;
beforeEach(async () => {
	t = await tempDb();
});
afterEach(async () => {
	await t.cleanup();
});

const count = async (sql: string) => (await t.db.one<{ n: number }>(sql))?.n;

describe('ingestEvents', () => {
	it('stores a valid batch, creates unknown customers and updates customer_state', async () => {
		const batch = [
			aPurchase('c1', 10).at('2024-05-01T10:00:00Z').build(),
			aPurchase('c1', 5.5).at('2024-05-02T10:00:00Z').build(),
			anEvent().withCustomer('c2').withType('visit').build()
		];
		const r = await ingestEvents(t.db, batch, { source: 'test' });
		expect(r).toEqual({ ok: true, value: { accepted: 3, duplicates: 0 } });
		expect(await count('SELECT count(*) AS n FROM events')).toBe(3);
		expect(await count('SELECT count(*) AS n FROM customers')).toBe(2);
		const s = await t.db.one<{ purchase_count: number; purchase_value: number; event_count: number }>(
			"SELECT * FROM customer_state WHERE customer_id = 'c1'"
		);
		expect(s).toMatchObject({ purchase_count: 2, purchase_value: 15.5, event_count: 2 });
	});

	it('stores nothing when one record is invalid', async () => {
		const batch = [anEvent().build(), anEvent().with('channel', 'fax').build()];
		const r = await ingestEvents(t.db, batch, { source: 'test' });
		expect(r).toEqual({ ok: false, errors: [{ index: 1, field: 'channel', message: expect.stringContaining('fax') }] });
		expect(await count('SELECT count(*) AS n FROM events')).toBe(0);
	});

	it('counts repeats within and across batches as duplicates', async () => {
		const a = anEvent().withId('same').build();
		const b = anEvent().withoutId().withCustomer('c9').build();
		expect(await ingestEvents(t.db, [a, a, b], { source: 's' })).toEqual({ ok: true, value: { accepted: 2, duplicates: 1 } });
		expect(await ingestEvents(t.db, [a, b], { source: 's' })).toEqual({ ok: true, value: { accepted: 0, duplicates: 2 } });
		// Derived ids include the source: the same record from another source is a different event.
		expect(await ingestEvents(t.db, [b], { source: 'other' })).toEqual({ ok: true, value: { accepted: 1, duplicates: 0 } });
	});
});

describe('upsertCustomers', () => {
	it('inserts, then updates only the given fields', async () => {
		const r1 = await upsertCustomers(t.db, [{ customer_id: 'a', name: 'Ann', segment: 'vip', monthly_value: 90 }, { customer_id: 'b' }]);
		expect(r1).toEqual({ ok: true, value: { inserted: 2, updated: 0 } });
		const r2 = await upsertCustomers(t.db, [{ customer_id: 'a', plan: 'pro' }]);
		expect(r2).toEqual({ ok: true, value: { inserted: 0, updated: 1 } });
		const a = await t.db.one<{ name: string; segment: string; plan: string; monthly_value: number }>(
			"SELECT name, segment, plan, monthly_value FROM customers WHERE customer_id = 'a'"
		);
		expect(a).toEqual({ name: 'Ann', segment: 'vip', plan: 'pro', monthly_value: 90 });
		const b = await t.db.one<{ segment: string }>("SELECT segment FROM customers WHERE customer_id = 'b'");
		expect(b?.segment).toBe('default');
	});

	it('rejects invalid records with index and field, storing nothing', async () => {
		const r = await upsertCustomers(t.db, [{ customer_id: 'ok' }, { customer_id: '', monthly_value: -1 }]);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors.map((e) => [e.index, e.field])).toEqual([[1, 'customer_id'], [1, 'monthly_value']]);
		expect(await count('SELECT count(*) AS n FROM customers')).toBe(0);
	});
});

describe('group commit', () => {
	it('answers each concurrent request with its own counts and stores every event once', async () => {
		const shared = anEvent().withId('shared').build();
		const batches = Array.from({ length: 6 }, (_, i) => [
			shared,
			...Array.from({ length: 20 }, (_, j) => anEvent().withId(`b${i}-${j}`).withCustomer(`g${j % 3}`).build())
		]);
		const results = await Promise.all(batches.map((b) => ingestEvents(t.db, b, { source: 'g' })));
		const values = results.map((r) => (r.ok ? r.value : null));
		expect(values.every((v) => v && v.accepted + v.duplicates === 21)).toBe(true);
		// Requests are committed in arrival order, so the first one owns the shared event.
		expect(values[0]).toEqual({ accepted: 21, duplicates: 0 });
		expect(values.slice(1)).toEqual(Array(5).fill({ accepted: 20, duplicates: 1 }));
		expect(await count('SELECT count(*) AS n FROM events')).toBe(121);
		expect(await count('SELECT sum(event_count) AS n FROM customer_state')).toBe(121);
	});
});
