// What happens to the work items of a customer rule that is disabled or deleted (Grafana's model: a rule
// that stops resolves its alerts): items nobody holds are closed by the system with the rule as root
// cause, held ones stay with their holder and say the rule stopped, and enabling the rule again opens new
// items rather than bringing the closed ones back. Against a real DuckDB file, live events included.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { listAudit } from '../../src/lib/server/auth/audit';
import { evaluateAlerts } from '../../src/lib/server/alerts/evaluate';
import { setAlertsPublisher, type WorkItemLiveEvent } from '../../src/lib/server/alerts/live-bridge';
import { deleteRule, importRules, updateRule } from '../../src/lib/server/alerts/rules';
import {
	claimWorkItem,
	resolveWorkItem,
	snoozeWorkItem
} from '../../src/lib/server/alerts/work-item-actions';
import { releaseWorkItem } from '../../src/lib/server/alerts/work-item-handover';
import { listWorkItems } from '../../src/lib/server/alerts/work-item-list';
import { settleItemsOfStoppedRule } from '../../src/lib/server/alerts/work-item-rule-stop';
import { countOpenItems, listTransitions } from '../../src/lib/server/alerts/work-items';
import type { WorkItem } from '../../src/lib/server/alerts/work-item-types';
import type { TempDb } from '../helpers/temp-db';
import {
	tempDbWithToleranceRule,
	toleranceRule as rule,
	unhappyCustomers as unhappy
} from '../helpers/work-items';

let t: TempDb;
let live: WorkItemLiveEvent[];
const NOW = Date.now();
const bob = { name: 'bob', admin: false };
const unhappyCustomers = (ids: string[]) => unhappy(t.db, ids, NOW);

/** Items a, b, c open; b claimed by bob, c snoozed by bob. */
async function openHeldAndSnoozed(): Promise<Record<string, WorkItem>> {
	await unhappyCustomers(['a', 'b', 'c']);
	const opened = (await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW })).opened;
	const by = Object.fromEntries(opened.map((i) => [i.customer_id, i]));
	expect(Object.keys(by).sort()).toEqual(['a', 'b', 'c']);
	expect((await claimWorkItem(t.db, by.b.id, bob, NOW + 1)).ok).toBe(true);
	expect((await claimWorkItem(t.db, by.c.id, bob, NOW + 1)).ok).toBe(true);
	expect(
		(await snoozeWorkItem(t.db, by.c.id, bob, { until: new Date(NOW + 86_400_000).toISOString() }, NOW + 2))
			.ok
	).toBe(true);
	live = [];
	return by;
}

const itemsByCustomer = async () =>
	Object.fromEntries((await listWorkItems(t.db)).map((i) => [i.customer_id, i]));
const words = async (id: string) =>
	(await listTransitions(t.db, [id])).map(
		(x) =>
			`${x.from}→${x.to} by ${x.actor}${x.detail?.rule_stop ? ` (${String(x.detail.rule_stop)} by ${String(x.detail.by ?? '?')})` : ''}`
	);

beforeEach(async () => {
	t = await tempDbWithToleranceRule();
	live = [];
	setAlertsPublisher({ alert: () => undefined, workitem: (e) => live.push(e) });
});
afterEach(async () => {
	setAlertsPublisher(null);
	await t.cleanup();
});

describe('disabling a customer rule', () => {
	it('closes its unheld open items, keeps held ones with their holder, publishes them and audits it', async () => {
		const by = await openHeldAndSnoozed();
		expect((await updateRule(t.db, 'tolerance', rule(false), 'ana', { now: NOW + 10 })).ok).toBe(true);

		const items = await itemsByCustomer();
		expect(items.a).toMatchObject({
			state: 'resolved',
			outcome: 'no_action',
			root_cause: "rule 'Tolerance crossed' disabled",
			assignee: null
		});
		expect(items.b).toMatchObject({
			state: 'claimed',
			assignee: 'bob',
			rule_status: 'disabled',
			rule_name: 'Tolerance crossed',
			outcome: null
		});
		expect(items.c).toMatchObject({ state: 'snoozed', assignee: 'bob', rule_status: 'disabled' });
		// Closed by the system (not counted as worked by the intervention effect), naming who disabled the rule.
		expect(await words(by.a.id)).toEqual([
			'null→open by system',
			'open→resolved by system (disabled by ana)'
		]);
		expect((await words(by.b.id)).at(-1)).toBe('claimed→claimed by ana (disabled by ?)');
		expect((await listTransitions(t.db, [by.b.id])).at(-1)?.detail).toMatchObject({
			rule_name: 'Tolerance crossed',
			assignee: 'bob'
		});
		expect((await words(by.c.id)).at(-1)).toBe('snoozed→snoozed by ana (disabled by ?)');

		// One live event per item touched, each with the open count after the change: the nav pill drops to 0.
		expect(live.map((e) => [e.customerId, e.status, e.openItems]).sort()).toEqual([
			['a', 'resolved', 0],
			['b', 'claimed', 0],
			['c', 'snoozed', 0]
		]);
		expect(live.every((e) => e.at === new Date(NOW + 10).toISOString())).toBe(true);
		expect(await countOpenItems(t.db)).toBe(0);

		const audit = (await listAudit(t.db)).find((a) => a.action === 'work-item.rule-stopped');
		expect(audit).toMatchObject({
			actor: 'ana',
			subject: 'tolerance',
			detail: { rule: 'Tolerance crossed', change: 'disabled', closed: 1, kept_by_holders: 2 }
		});
	});

	it('editing the rule while it stays disabled changes nothing more for its items', async () => {
		await openHeldAndSnoozed();
		await updateRule(t.db, 'tolerance', rule(false), 'ana', { now: NOW + 10 });
		live = [];
		expect(
			(await updateRule(t.db, 'tolerance', { ...rule(false), name: 'Renamed' }, 'ana', { now: NOW + 20 })).ok
		).toBe(true);
		expect(live).toEqual([]);
		expect((await listAudit(t.db)).filter((a) => a.action === 'work-item.rule-stopped')).toHaveLength(1);
	});

	it('enabled again: the closed item stays closed and the next run opens a new one (no cool-down), the held customer gets none', async () => {
		const by = await openHeldAndSnoozed();
		await updateRule(t.db, 'tolerance', rule(false), 'ana', { now: NOW + 10 });
		expect((await updateRule(t.db, 'tolerance', rule(true), 'ana', { now: NOW + 20 })).ok).toBe(true);
		expect((await itemsByCustomer()).b).toMatchObject({ state: 'claimed', rule_status: 'enabled' });

		const tick = await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW + 30 });
		expect(tick.opened.map((i) => i.customer_id)).toEqual(['a']);
		expect(tick.opened[0].id).not.toBe(by.a.id);
		const all = await listWorkItems(t.db, { customer_id: 'a' });
		expect(all.map((i) => i.state).sort()).toEqual(['open', 'resolved']);
	});

	it('a resolution by a person still holds the customer back for the cool-down', async () => {
		// The cool-down exception is only for closures by the system, not for a person's with the same words.
		await unhappyCustomers(['a']);
		const [item] = (await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW })).opened;
		const done = await resolveWorkItem(
			t.db,
			item.id,
			bob,
			{ outcome: 'no_action', root_cause: "rule 'Tolerance crossed' disabled" },
			NOW + 1
		);
		expect(done.ok).toBe(true);
		expect((await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW + 30 })).opened).toEqual([]);
	});

	it('an import that disables the rule settles its items the same way', async () => {
		await openHeldAndSnoozed();
		expect((await importRules(t.db, { version: 1, rules: [rule(false)] }, 'ana', { now: NOW + 10 })).ok).toBe(
			true
		);
		const items = await itemsByCustomer();
		expect(items.a).toMatchObject({ state: 'resolved', root_cause: "rule 'Tolerance crossed' disabled" });
		expect(items.b).toMatchObject({ state: 'claimed', assignee: 'bob' });
	});
});

describe('deleting a customer rule', () => {
	it('closes its unheld open items; held ones stay and show the rule is gone', async () => {
		const by = await openHeldAndSnoozed();
		expect(await deleteRule(t.db, 'tolerance', 'ana', { now: NOW + 10 })).toBe(true);

		const items = await itemsByCustomer();
		expect(items.a).toMatchObject({
			state: 'resolved',
			outcome: 'no_action',
			root_cause: "rule 'Tolerance crossed' deleted"
		});
		expect(items.b).toMatchObject({
			state: 'claimed',
			assignee: 'bob',
			rule_status: 'deleted',
			rule_name: null
		});
		expect(await words(by.a.id)).toEqual(['null→open by system', 'open→resolved by system (deleted by ana)']);
		expect((await listTransitions(t.db, [by.b.id])).at(-1)?.detail).toMatchObject({
			rule_stop: 'deleted',
			rule_name: 'Tolerance crossed'
		});
		expect(live.map((e) => [e.customerId, e.status, e.openItems]).sort()).toEqual([
			['a', 'resolved', 0],
			['b', 'claimed', 0],
			['c', 'snoozed', 0]
		]);
		expect((await listAudit(t.db)).find((a) => a.action === 'work-item.rule-stopped')?.detail).toMatchObject({
			change: 'deleted',
			closed: 1
		});
	});
});

describe('items of a stopped rule that come back open later', () => {
	it('a held item released after its rule was disabled is closed by the next tick', async () => {
		const by = await openHeldAndSnoozed();
		await updateRule(t.db, 'tolerance', rule(false), 'ana', { now: NOW + 10 });
		expect((await releaseWorkItem(t.db, by.b.id, bob, {}, NOW + 20)).ok).toBe(true);
		expect(await countOpenItems(t.db)).toBe(1);
		live = [];

		const tick = await evaluateAlerts(t.db, new Map(), { now: NOW + 30 });
		expect(tick.closed.map((i) => [i.customer_id, i.state, i.root_cause])).toEqual([
			['b', 'resolved', "rule 'Tolerance crossed' disabled"]
		]);
		expect((await words(by.b.id)).at(-1)).toBe('open→resolved by system (disabled by ?)');
		expect(live.map((e) => [e.customerId, e.status, e.openItems])).toEqual([['b', 'resolved', 0]]);
	});

	it('a snoozed item released after its rule was deleted is closed by the next tick', async () => {
		const by = await openHeldAndSnoozed();
		await deleteRule(t.db, 'tolerance', 'ana', { now: NOW + 10 });
		expect((await itemsByCustomer()).c).toMatchObject({ state: 'snoozed', rule_status: 'deleted' });
		expect((await releaseWorkItem(t.db, by.c.id, bob, {}, NOW + 20)).ok).toBe(true);

		const tick = await evaluateAlerts(t.db, new Map(), { now: NOW + 30 });
		expect(tick.closed.map((i) => [i.customer_id, i.state, i.root_cause])).toEqual([
			['c', 'resolved', 'rule deleted']
		]);
		expect((await listTransitions(t.db, [by.c.id])).at(-1)?.detail).toMatchObject({
			rule_stop: 'deleted',
			rule_name: null
		});
		expect(await countOpenItems(t.db)).toBe(0);
	});

	it('a rule with more open items than one write closes: the first go at once, the tick takes the rest', async () => {
		await unhappyCustomers(['a', 'b', 'c']); // worth 100, 200, 300
		await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW });
		const first = await t.db.write((conn) =>
			settleItemsOfStoppedRule(
				conn,
				{ id: 'tolerance', name: 'Tolerance crossed' },
				'disabled',
				'ana',
				NOW + 10,
				2
			)
		);
		expect(first.map((i) => i.customer_id).sort()).toEqual(['b', 'c']);
		await t.db.write((conn) => conn.run(`UPDATE alert_rules SET enabled = false`));
		const tick = await evaluateAlerts(t.db, new Map(), { now: NOW + 20 });
		expect(tick.closed.map((i) => i.customer_id)).toEqual(['a']);
	});
});

describe('the tick counts items of stopped rules only when a write may have left some', () => {
	const countsOfStopped = (spy: { mock: { calls: unknown[][] } }) =>
		spy.mock.calls.filter(([sql]) => String(sql).includes('r.enabled IS NOT TRUE')).length;

	it('counts on the first tick, not again while nothing changed, again after a release', async () => {
		await unhappyCustomers(['a']);
		const one = vi.spyOn(t.db, 'one');
		const [item] = (await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW })).opened;
		expect(countsOfStopped(one)).toBe(1);
		expect((await claimWorkItem(t.db, item.id, bob, NOW + 1)).ok).toBe(true);
		await evaluateAlerts(t.db, new Map(), { now: NOW + 10 });
		await evaluateAlerts(t.db, new Map(), { now: NOW + 20 });
		expect(countsOfStopped(one)).toBe(1);

		expect((await releaseWorkItem(t.db, item.id, bob, {}, NOW + 30)).ok).toBe(true);
		await evaluateAlerts(t.db, new Map(), { now: NOW + 40 });
		expect(countsOfStopped(one)).toBe(2);
		one.mockRestore();
	});

	it('items woken open beyond one tick’s limit are closed by the following ticks', async () => {
		const by = await openHeldAndSnoozed();
		const until = new Date(NOW + 86_400_000).toISOString();
		expect((await snoozeWorkItem(t.db, by.b.id, bob, { until }, NOW + 3)).ok).toBe(true);
		await updateRule(t.db, 'tolerance', rule(false), 'ana', { now: NOW + 10 });
		// Snoozed with nobody holding them, as an older version left them: they wake open.
		await t.db.write((conn) => conn.run(`UPDATE work_items SET assignee = NULL WHERE state = 'snoozed'`));

		const later = NOW + 2 * 86_400_000;
		const first = await evaluateAlerts(t.db, new Map(), { now: later, itemsPerTick: 1 });
		expect(first.closed.map((i) => i.customer_id)).toHaveLength(1);
		const second = await evaluateAlerts(t.db, new Map(), { now: later + 10, itemsPerTick: 1 });
		expect([...first.closed, ...second.closed].map((i) => i.customer_id).sort()).toEqual(['b', 'c']);
		expect(await countOpenItems(t.db)).toBe(0);
	});
});
