// The work list says a tolerance item's debt now, as the customer's page does, and keeps the debt it opened
// with in its detail: a lead read "debt 31 pts" for a customer whose debt had decayed to 12 or grown to 60.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../src/lib/server/alerts/evaluate';
import { DEFAULT_TOLERANCE } from '../../src/lib/server/alerts/tolerance-defaults';
import { toleranceApplier } from '../../src/lib/server/alerts/tolerance-applier';
import { removeToleranceSettings, saveToleranceSettings } from '../../src/lib/server/alerts/tolerance-settings';
import { listWorkItems, MAX_IDS, parseWorkListQuery } from '../../src/lib/server/alerts/work-item-list';
import { loadWorkListPage } from '../../src/lib/server/alerts/worklist-page';
import { getCustomerProfile } from '../../src/lib/server/customers/profile';
import { toleranceDebtText } from '../../src/lib/components/alerts/item-debt';
import { aStoredEvent } from '../fixtures/alerts';
import { appendEvents } from '../fixtures/alerts-db';
import type { TempDb } from '../helpers/temp-db';
import { tempDbWithToleranceRule, unhappyCustomers } from '../helpers/work-items';

let t: TempDb;
const NOW = Date.now();
const DAY = 86_400_000;

beforeEach(async () => {
	t = await tempDbWithToleranceRule();
});
afterEach(async () => t.cleanup());

const tick = (now: number) => evaluateAlerts(t.db, new Map(), { customers: true, now });

/** The list's debt and limit now agree with the customer's page at `now` (it rounds to 0.01 pts, the list to 0.1). */
async function expectAsOnPage(item: { debt_now: number | null; limit_now: number | null }, id: string, now: number) {
	const p = await getCustomerProfile(t.db, id, now);
	if (!p) throw new Error(`no customer ${id}`);
	expect(Math.abs((item.debt_now ?? NaN) - p.debt.current)).toBeLessThanOrEqual(0.055);
	expect(item.limit_now).toBe(p.debt.limit);
}

describe('a tolerance item on the work list', () => {
	it('gives the debt decayed to now next to the debt it opened with, the same figure as the customer page', async () => {
		await unhappyCustomers(t.db, ['a'], NOW, 'vip');
		const [opened] = (await tick(NOW)).opened;
		const atOpening = opened.detail?.debt as number;
		expect(atOpening).toBeGreaterThan(DEFAULT_TOLERANCE.limit);

		// Two half-lives later the debt is a quarter of what the item opened with.
		const later = NOW + 2 * DEFAULT_TOLERANCE.halfLifeDays * DAY;
		const [item] = await listWorkItems(t.db, {}, later);
		expect(item.detail).toMatchObject({ debt: atOpening, limit: DEFAULT_TOLERANCE.limit });
		expect(item.debt_now).toBeCloseTo(atOpening / 4, 0);
		await expectAsOnPage(item, 'a', later);
		expect(toleranceDebtText(item.detail, item.debt_now, item.limit_now)).toBe(
			`debt ${item.debt_now} pts now (${atOpening} at opening), limit ${DEFAULT_TOLERANCE.limit} pts`
		);
	});

	it('gives the debt grown since and the limit now after the settings changed; the page load carries both', async () => {
		await unhappyCustomers(t.db, ['a'], NOW, 'vip');
		const [opened] = (await tick(NOW)).opened;
		const atOpening = opened.detail?.debt as number;
		const at = new Date(NOW + 60_000);
		await appendEvents(
			t.db,
			[1, 2, 3].map(() => aStoredEvent().forCustomer('a').withType('complaint').at(at).build()),
			[toleranceApplier]
		);
		expect(await saveToleranceSettings(t.db, 'vip', { ...DEFAULT_TOLERANCE, limit: 25 })).toEqual({ ok: true });

		const later = NOW + 120_000;
		const [item] = await listWorkItems(t.db, { state: ['open'] }, later);
		expect(item.debt_now).toBeGreaterThan(atOpening + 10);
		await expectAsOnPage(item, 'a', later);
		expect(item.limit_now).toBe(25);
		expect(toleranceDebtText(item.detail, item.debt_now, item.limit_now)).toBe(
			`debt ${item.debt_now} pts now (${atOpening} at opening), limit 25 pts (${DEFAULT_TOLERANCE.limit} at opening)`
		);

		const page = await loadWorkListPage(t.db, new URLSearchParams(), 'retention', 'ann');
		expect(page.items).toHaveLength(1);
		expect(page.items[0].debt_now).toBeGreaterThan(atOpening + 10);
		expect(page.items[0].limit_now).toBe(25);
	});

	it('has no debt now for items of other reasons, and 0 pts for a customer whose debt row is gone', async () => {
		await unhappyCustomers(t.db, ['a', 'b'], NOW);
		await tick(NOW);
		await t.db.write(async (conn) => {
			await conn.run(`UPDATE work_items SET reason = 'silent', detail = '{"silent_days": 40}'::JSON WHERE customer_id = 'b'`);
			await conn.run(`DELETE FROM customer_debt WHERE customer_id = 'a'`);
		});
		const items = await listWorkItems(t.db, { sort: 'created_at' }, NOW + 1000);
		const by = new Map(items.map((i) => [i.customer_id, i]));
		expect(by.get('b')).toMatchObject({ reason: 'silent', debt_now: null, limit_now: null });
		expect(by.get('a')).toMatchObject({ reason: 'tolerance', debt_now: 0, limit_now: DEFAULT_TOLERANCE.limit });
	});

	it('re-reads the rows an open list names (id filter): the same figures as the whole list, after new debt too', async () => {
		await unhappyCustomers(t.db, ['a', 'b', 'c'], NOW, 'vip');
		await tick(NOW);
		await appendEvents(
			t.db,
			[1, 2].map(() => aStoredEvent().forCustomer('b').withType('complaint').at(new Date(NOW + 60_000)).build()),
			[toleranceApplier]
		);
		const at = NOW + 3 * DAY;
		const all = await listWorkItems(t.db, {}, at);
		expect(all).toHaveLength(3);
		const [a, b] = ['a', 'b'].map((c) => all.find((i) => i.customer_id === c)!);
		const some = await listWorkItems(t.db, { ids: [b.id, a.id, 'no-such-item'] }, at);
		expect(some.map((i) => i.id).sort()).toEqual([a.id, b.id].sort());
		for (const i of some) {
			const whole = all.find((x) => x.id === i.id)!;
			expect(i).toEqual(whole);
			expect(i.debt_now).toBeGreaterThan(0);
		}
		expect(b.debt_now).toBeGreaterThan(a.debt_now! + 5);
		await expectAsOnPage(b, 'b', at);

		// The API's `id` parameter: listed once each, values bound, a bounded number, errors naming the field.
		expect(parseWorkListQuery(new URLSearchParams(`id=${a.id}, ${b.id},,${a.id}`))).toEqual({ ok: true, value: { ids: [a.id, b.id] } });
		const inj = parseWorkListQuery(new URLSearchParams("id=x' OR 1=1 --"));
		expect(inj.ok && (await listWorkItems(t.db, inj.value, at))).toEqual([]);
		const many = Array.from({ length: MAX_IDS + 1 }, (_, i) => `w${i}`).join(',');
		for (const bad of [many, ',,'])
			expect(parseWorkListQuery(new URLSearchParams({ id: bad }))).toEqual({
				ok: false,
				errors: [{ field: 'id', message: `id must list 1 to ${MAX_IDS} work item ids, separated by commas` }]
			});
	});

	it('takes the limit of the latest save or removal at the next load, though earlier loads read the settings', async () => {
		await unhappyCustomers(t.db, ['a'], NOW, 'vip');
		await tick(NOW);
		const limitNow = async () => (await listWorkItems(t.db, { state: ['open'] }, NOW + 1000))[0].limit_now;
		expect(await limitNow()).toBe(DEFAULT_TOLERANCE.limit);
		expect(await saveToleranceSettings(t.db, 'vip', { ...DEFAULT_TOLERANCE, limit: 25 })).toEqual({ ok: true });
		expect(await limitNow()).toBe(25);
		expect(await saveToleranceSettings(t.db, '*', { ...DEFAULT_TOLERANCE, limit: 35 })).toEqual({ ok: true });
		expect(await limitNow()).toBe(25);
		// Removed: vip falls back to '*'.
		expect(await removeToleranceSettings(t.db, 'vip')).toEqual({ ok: true });
		expect(await limitNow()).toBe(35);
	});
});
