import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../src/lib/server/alerts/evaluate';
import { saveRule } from '../../src/lib/server/alerts/rules';
import { toleranceApplier } from '../../src/lib/server/alerts/tolerance-applier';
import {
	claimWorkItem,
	resolveWorkItem,
	snoozeWorkItem
} from '../../src/lib/server/alerts/work-item-actions';
import { countWorkItems, listWorkItems, parseWorkListQuery } from '../../src/lib/server/alerts/work-item-list';
import { loadWorkListPage } from '../../src/lib/server/alerts/worklist-page';
import { listTransitions } from '../../src/lib/server/alerts/work-items';
import { ingestEvents } from '../../src/lib/server/ingest/ingest-events';
import { aCustomer, aStoredEvent } from '../fixtures/alerts';
import { anEvent } from '../fixtures/events';
import { appendEvents, insertCustomers } from '../fixtures/alerts-db';
import type { TempDb } from '../helpers/temp-db';
import { tempDbWithToleranceRule, unhappyCustomers as unhappy } from '../helpers/work-items';

let t: TempDb;
const NOW = Date.now();
const ann = { name: 'ann', admin: false };
const bob = { name: 'bob', admin: false };

const unhappyCustomers = (ids: string[], segment?: string) => unhappy(t.db, ids, NOW, segment);

beforeEach(async () => {
	t = await tempDbWithToleranceRule();
});
afterEach(async () => t.cleanup());

describe('work items', () => {
	it('a firing tolerance alert opens one item per customer, no duplicates while open', async () => {
		await unhappyCustomers(['a', 'b']);
		const first = await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW });
		expect(first.opened.map((i) => i.customer_id).sort()).toEqual(['a', 'b']);
		const again = await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW + 1000 });
		expect(again.opened).toEqual([]);
		const items = await listWorkItems(t.db);
		expect(items.map((i) => i.customer_id)).toEqual(['b', 'a']); // priority = 0.5 × value, b is worth more
		expect(items[0]).toMatchObject({ state: 'open', reason: 'tolerance', priority: 100, assignee: null });
	});

	it('a calm customer gets no item', async () => {
		await insertCustomers(t.db, [aCustomer().withId('calm').build()]);
		await appendEvents(
			t.db,
			[aStoredEvent().forCustomer('calm').withType('complaint').at(new Date(NOW)).build()],
			[toleranceApplier]
		);
		expect((await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW })).opened).toEqual([]);
	});

	it('two concurrent claims: exactly one wins, the loser learns the holder', async () => {
		await unhappyCustomers(['a']);
		const [item] = (await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW })).opened;
		const [r1, r2] = await Promise.all([
			claimWorkItem(t.db, item.id, ann),
			claimWorkItem(t.db, item.id, bob)
		]);
		const wins = [r1, r2].filter((r) => r.ok);
		const losses = [r1, r2].filter((r) => !r.ok);
		expect(wins).toHaveLength(1);
		expect(losses).toHaveLength(1);
		const winner = wins[0].ok ? wins[0].value.assignee : null;
		expect(losses[0]).toEqual({
			ok: false,
			error: { status: 409, error: expect.stringContaining(winner!), holder: winner }
		});
	});

	it('snooze, resolve, and every transition recorded', async () => {
		await unhappyCustomers(['a']);
		const [item] = (await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW })).opened;
		expect((await claimWorkItem(t.db, item.id, ann, NOW + 1)).ok).toBe(true);
		const past = await snoozeWorkItem(
			t.db,
			item.id,
			ann,
			{ until: new Date(NOW - 1000).toISOString() },
			NOW + 2
		);
		expect(past).toMatchObject({ ok: false, error: { status: 422, field: 'until' } });
		const sn = await snoozeWorkItem(
			t.db,
			item.id,
			ann,
			{ until: new Date(NOW + 60_000).toISOString() },
			NOW + 2
		);
		expect(sn).toMatchObject({ ok: true, value: { state: 'snoozed', assignee: 'ann' } });
		const woke = await evaluateAlerts(t.db, new Map(), { now: NOW + 61_000 });
		expect(woke.woke.map((w) => w.state)).toEqual(['claimed']);
		expect(await resolveWorkItem(t.db, item.id, bob, { outcome: 'retained' }, NOW + 62_000)).toMatchObject({
			ok: false,
			error: { status: 409, holder: 'ann' }
		});
		expect(await resolveWorkItem(t.db, item.id, ann, { outcome: 'kept' }, NOW + 62_000)).toMatchObject({
			ok: false,
			error: { status: 422, field: 'outcome' }
		});
		const done = await resolveWorkItem(
			t.db,
			item.id,
			ann,
			{ outcome: 'retained', root_cause: 'slow support', note: 'called, gave credit' },
			NOW + 62_000
		);
		expect(done).toMatchObject({
			ok: true,
			value: { state: 'resolved', outcome: 'retained', root_cause: 'slow support' }
		});
		const tr = await listTransitions(t.db, [item.id]);
		expect(tr.map((x) => `${x.from}→${x.to} by ${x.actor}`)).toEqual([
			'null→open by system',
			'open→claimed by ann',
			'claimed→snoozed by ann',
			'snoozed→claimed by system',
			'claimed→resolved by ann'
		]);
		// Resolved recently: the still-unhappy customer gets no new item for the same reason.
		expect((await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW + 63_000 })).opened).toEqual(
			[]
		);
	});

	it('filters are whitelisted and bound', async () => {
		await unhappyCustomers(['a'], 'vip');
		await unhappyCustomers(['b'], 'smb');
		await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW });
		const q = parseWorkListQuery(new URLSearchParams('segment=vip&state=open&sort=-priority'));
		expect(q.ok).toBe(true);
		if (q.ok) expect((await listWorkItems(t.db, q.value)).map((i) => i.customer_id)).toEqual(['a']);
		const inj = parseWorkListQuery(new URLSearchParams("segment=x' OR 1=1 --"));
		if (inj.ok) expect(await listWorkItems(t.db, inj.value)).toEqual([]);
		expect(parseWorkListQuery(new URLSearchParams('sort=name;drop'))).toMatchObject({
			ok: false,
			errors: [{ field: 'sort' }]
		});
		expect(parseWorkListQuery(new URLSearchParams('state=gone'))).toMatchObject({
			ok: false,
			errors: [{ field: 'state' }]
		});
	});

	it('dir applies to the default order too, and offset pages through the list', async () => {
		await unhappyCustomers(['a', 'b', 'c', 'd']);
		await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW });
		const list = async (qs: string) => {
			const q = parseWorkListQuery(new URLSearchParams(qs));
			if (!q.ok) throw new Error(JSON.stringify(q.errors));
			return (await listWorkItems(t.db, q.value)).map((i) => i.customer_id);
		};
		// Priority follows monthly value: d is worth most.
		expect(await list('')).toEqual(['d', 'c', 'b', 'a']);
		expect(await list('dir=asc')).toEqual(['a', 'b', 'c', 'd']);
		expect([...(await list('limit=3')), ...(await list('limit=3&offset=3'))]).toEqual(['d', 'c', 'b', 'a']);
		expect(parseWorkListQuery(new URLSearchParams('dir=sideways'))).toMatchObject({ ok: false, errors: [{ field: 'dir' }] });
		expect(parseWorkListQuery(new URLSearchParams('offset=-1'))).toMatchObject({ ok: false, errors: [{ field: 'offset' }] });
	});

	it('counts the matching items whatever the page shows, so a cut list says so', async () => {
		await unhappyCustomers(['a', 'b', 'c'], 'vip');
		await unhappyCustomers(['d'], 'smb');
		await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW });
		expect(await countWorkItems(t.db, { state: ['open'] })).toBe(4);
		expect(await countWorkItems(t.db, { state: ['open'], segment: 'vip' })).toBe(3);
		expect(await countWorkItems(t.db, { state: ['resolved'] })).toBe(0);
		const page = await loadWorkListPage(t.db, new URLSearchParams('limit=2&segment=vip'), 'retention');
		expect([page.items.length, page.total]).toEqual([2, 3]);
		expect(page.items.every((i) => i.segment === 'vip')).toBe(true);
	});

	it("a high-value customer silent for the rule's days gets an item; a recently active one does not", async () => {
		await saveRule(t.db, {
			id: 'silent',
			name: 'Silent',
			definition: { kind: 'silent', min_monthly_value: 200, days: 30 }
		});
		await insertCustomers(t.db, [
			aCustomer().withId('quiet').worth(500).build(),
			aCustomer().withId('busy').worth(500).build(),
			aCustomer().withId('small').worth(20).build()
		]);
		const old = new Date(NOW - 40 * 86_400_000);
		const batch = [
			anEvent().withCustomer('quiet').withType('visit').at(old).build(),
			anEvent().withCustomer('small').withType('visit').at(old).build(),
			anEvent()
				.withCustomer('busy')
				.withType('visit')
				.at(new Date(NOW - 86_400_000))
				.build()
		];
		expect(await ingestEvents(t.db, batch, { source: 'test', now: new Date(NOW) })).toMatchObject({
			ok: true
		});
		const r = await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW });
		expect(r.opened.map((i) => `${i.customer_id}:${i.reason}`)).toEqual(['quiet:silent']);
		expect(r.opened[0].detail).toMatchObject({ silent_days: 40, last_event_at: old.toISOString() });
	});

	it('a customer who has cancelled gets no item; an open item closes as churned when its customer cancels', async () => {
		await saveRule(t.db, { id: 'silent', name: 'Silent', definition: { kind: 'silent', min_monthly_value: 200, days: 30 } });
		await insertCustomers(t.db, [
			aCustomer().withId('quiet').worth(500).build(),
			aCustomer().withId('gone').worth(500).build(),
			aCustomer().withId('back').worth(500).build()
		]);
		const daysAgo = (d: number) => new Date(NOW - d * 86_400_000);
		const history = [
			anEvent().withCustomer('quiet').withType('visit').at(daysAgo(40)).build(),
			anEvent().withCustomer('gone').withType('purchase').withValue(50).at(daysAgo(41)).build(),
			anEvent().withCustomer('gone').withType('cancellation').at(daysAgo(40)).build(),
			// Cancelled once, then bought again: still a customer.
			anEvent().withCustomer('back').withType('cancellation').at(daysAgo(60)).build(),
			anEvent().withCustomer('back').withType('purchase').withValue(50).at(daysAgo(40)).build()
		];
		expect(await ingestEvents(t.db, history, { source: 'test', now: new Date(NOW) })).toMatchObject({ ok: true });
		const first = await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW });
		expect(first.opened.map((i) => `${i.customer_id}:${i.reason}`).sort()).toEqual(['back:silent', 'quiet:silent']);
		const cancel = [anEvent().withCustomer('quiet').withType('cancellation').at(daysAgo(1)).build()];
		expect(await ingestEvents(t.db, cancel, { source: 'test', now: new Date(NOW) })).toMatchObject({ ok: true });
		const later = await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW + 1000 });
		expect(later.opened).toEqual([]);
		expect(later.closed.map((i) => [i.customer_id, i.state, i.outcome, i.root_cause])).toEqual([
			['quiet', 'resolved', 'churned', 'customer cancelled']
		]);
	});

	it("an open item's priority follows its customer's latest churn score and monthly value; a resolved one keeps its own", async () => {
		await unhappyCustomers(['a', 'b']);
		const opened = (await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW })).opened;
		const a = opened.find((i) => i.customer_id === 'a')!;
		const b = opened.find((i) => i.customer_id === 'b')!;
		expect([a.probability, a.priority, b.priority]).toEqual([null, 50, 100]); // no scores yet: 0.5 × value
		expect(await resolveWorkItem(t.db, b.id, ann, { outcome: 'retained' }, NOW + 1)).toMatchObject({ ok: true });
		const score = (id: string, p: number) =>
			t.db.run(
				`INSERT OR REPLACE INTO scores (customer_id, model_version, probability, risk_band, scored_at) VALUES ($1, 'v0001', $2, 'high', now()::TIMESTAMP)`,
				[id, p]
			);
		await score('a', 0.9);
		await score('b', 0.9);
		const rescored = await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW + 2 });
		expect(rescored.reprioritized.map((i) => [i.customer_id, i.probability, i.priority, i.state])).toEqual([
			['a', 0.9, 90, 'open']
		]);
		await t.db.run(`UPDATE customers SET monthly_value = 300 WHERE customer_id = 'a'`);
		const revalued = await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW + 3 });
		expect(revalued.reprioritized.map((i) => [i.customer_id, i.monthly_value, i.priority])).toEqual([['a', 300, 270]]);
		expect((await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW + 4 })).reprioritized).toEqual([]);
		const q = parseWorkListQuery(new URLSearchParams('state=open,resolved'));
		if (!q.ok) throw new Error(JSON.stringify(q.errors));
		const items = await listWorkItems(t.db, q.value);
		expect(items.map((i) => [i.customer_id, i.state, i.priority])).toEqual([
			['a', 'open', 270],
			['b', 'resolved', 100]
		]);
	});

	it('an unclaimed item closes itself when the condition clears; a claimed one stays', async () => {
		await unhappyCustomers(['a', 'b']);
		const opened = (await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW })).opened;
		const b = opened.find((i) => i.customer_id === 'b')!;
		await claimWorkItem(t.db, b.id, ann, NOW + 1);
		// 60 days later both debts have decayed to a quarter, below the limit.
		const later = await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW + 60 * 86_400_000 });
		expect(later.closed.map((i) => [i.customer_id, i.state, i.outcome, i.root_cause])).toEqual([
			['a', 'resolved', 'no_action', 'condition cleared']
		]);
		const items = await listWorkItems(t.db);
		expect(items.find((i) => i.customer_id === 'b')).toMatchObject({ state: 'claimed', assignee: 'ann' });
	});
	it('a tick opens at most itemsPerTick items, highest priority first; the next ticks open the rest', async () => {
		await unhappyCustomers(['a', 'b', 'c', 'd', 'e']); // worth 100 … 500
		const opts = { customers: true, itemsPerTick: 2 };
		const first = await evaluateAlerts(t.db, new Map(), { ...opts, now: NOW });
		expect(first.opened.map((i) => i.customer_id).sort()).toEqual(['d', 'e']);
		expect([first.pendingAlerts, first.backlog]).toEqual([3, true]);
		const second = await evaluateAlerts(t.db, new Map(), { ...opts, now: NOW + 1 });
		expect(second.opened.map((i) => i.customer_id).sort()).toEqual(['b', 'c']);
		const third = await evaluateAlerts(t.db, new Map(), { ...opts, now: NOW + 2 });
		expect(third.opened.map((i) => i.customer_id)).toEqual(['a']);
		expect([third.pendingAlerts, third.backlog]).toEqual([0, false]);
		expect(await countWorkItems(t.db)).toBe(5);
	});

	it('re-prioritizing and closing also go at most itemsPerTick items a tick', async () => {
		await unhappyCustomers(['a', 'b', 'c']);
		expect((await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW })).opened).toHaveLength(3);
		await t.db.run(
			`INSERT INTO scores (customer_id, model_version, probability, risk_band, scored_at)
			 SELECT customer_id, 'v0001', 0.9, 'high', now()::TIMESTAMP FROM customers`
		);
		const opts = { customers: true, itemsPerTick: 2 };
		const r1 = await evaluateAlerts(t.db, new Map(), { ...opts, now: NOW + 1 });
		expect([r1.reprioritized.length, r1.backlog]).toEqual([2, true]);
		const r2 = await evaluateAlerts(t.db, new Map(), { ...opts, now: NOW + 2 });
		expect([r2.reprioritized.length, r2.backlog]).toEqual([1, false]);
		expect((await listWorkItems(t.db)).map((i) => i.probability)).toEqual([0.9, 0.9, 0.9]);
		// 60 days later every debt has decayed below the limit: the items close two at a time.
		const later = NOW + 60 * 86_400_000;
		const c1 = await evaluateAlerts(t.db, new Map(), { ...opts, now: later });
		expect([c1.closed.length, c1.backlog]).toEqual([2, true]);
		const c2 = await evaluateAlerts(t.db, new Map(), { ...opts, now: later + 1 });
		expect([c2.closed.length, c2.backlog]).toEqual([1, false]);
		const open = parseWorkListQuery(new URLSearchParams('state=open'));
		if (!open.ok) throw new Error(JSON.stringify(open.errors));
		expect(await countWorkItems(t.db, open.value)).toBe(0);
	});

	it('a customer in the re-open cool-down gets no item and does not hold back the customers after them', async () => {
		await unhappyCustomers(['a', 'b']);
		const opened = (await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW })).opened;
		for (const item of opened)
			expect(await resolveWorkItem(t.db, item.id, ann, { outcome: 'retained' }, NOW + 1)).toMatchObject({ ok: true });
		// Both are still over their limit and worth more than the newcomer, but resolved for this reason days ago.
		await unhappyCustomers(['z']);
		await t.db.run(`UPDATE customers SET monthly_value = 1 WHERE customer_id = 'z'`);
		const next = await evaluateAlerts(t.db, new Map(), { customers: true, itemsPerTick: 1, now: NOW + 2 });
		expect(next.opened.map((i) => i.customer_id)).toEqual(['z']);
		expect([next.pendingAlerts, next.backlog]).toEqual([0, false]);
		// After the cool-down (7 days) the same reason opens a new item again.
		const week = await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW + 8 * 86_400_000 });
		expect(week.opened.map((i) => i.customer_id).sort()).toEqual(['a', 'b']);
	});
	it('items of equal priority list the likelier churner first', async () => {
		await unhappyCustomers(['a', 'b', 'c']);
		await t.db.run(`UPDATE customers SET monthly_value = 0`);
		await t.db.run(
			`INSERT INTO scores (customer_id, model_version, probability, risk_band, scored_at)
			 VALUES ('a', 'v0001', 0.2, 'low', now()::TIMESTAMP), ('b', 'v0001', 0.9, 'high', now()::TIMESTAMP), ('c', 'v0001', 0.5, 'medium', now()::TIMESTAMP)`
		);
		expect((await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW })).opened).toHaveLength(3);
		// The next customer-rule run brings the items' probabilities up to the scores.
		expect((await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW + 1 })).reprioritized).toHaveLength(3);
		const items = await listWorkItems(t.db);
		expect(items.map((i) => [i.customer_id, i.priority, i.probability])).toEqual([
			['b', 0, 0.9],
			['c', 0, 0.5],
			['a', 0, 0.2]
		]);
	});
});
