// Items the alert tick closes because the condition cleared start no re-open cool-down: nobody acted on
// them, so a customer back in the high band is back on the list at the next customer-rule run. A person's
// resolution still holds the customer back for 7 days. A churn item closes only once its customer has
// stayed out of the band for a while (clear-grace.ts), so a score hovering at the band's edge does not
// open and close items every minute.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHURN_CLEAR_GRACE_MS } from '../../src/lib/server/alerts/clear-grace';
import { evaluateAlerts } from '../../src/lib/server/alerts/evaluate';
import { saveRule } from '../../src/lib/server/alerts/rules';
import { toleranceApplier } from '../../src/lib/server/alerts/tolerance-applier';
import { resolveWorkItem } from '../../src/lib/server/alerts/work-item-actions';
import { listWorkItems, parseWorkListQuery } from '../../src/lib/server/alerts/work-item-list';
import { listTransitions } from '../../src/lib/server/alerts/work-items';
import { ingestEvents } from '../../src/lib/server/ingest/ingest-events';
import { aCustomer, aStoredEvent } from '../fixtures/alerts';
import { appendEvents, insertCustomers } from '../fixtures/alerts-db';
import { anEvent } from '../fixtures/events';
import { tempDb, type TempDb } from '../helpers/temp-db';
import { tempDbWithToleranceRule, unhappyCustomers } from '../helpers/work-items';

let t: TempDb;
const NOW = Date.now();
const MINUTE = 60_000;
const DAY = 86_400_000;
const ann = { name: 'ann', admin: false };

const tick = (now: number) => evaluateAlerts(t.db, new Map(), { customers: true, now });

/** The customer's latest churn score, as the scorer stores it (one row per customer). */
const score = (id: string, probability: number, band: 'low' | 'medium' | 'high') =>
	t.db.run(
		`INSERT OR REPLACE INTO scores (customer_id, model_version, probability, risk_band, scored_at)
		 VALUES ($1, 'v0001', $2, $3, now()::TIMESTAMP)`,
		[id, probability, band]
	);

async function unresolvedItems(): Promise<[string, string, string][]> {
	const q = parseWorkListQuery(new URLSearchParams('state=open,claimed,snoozed'));
	if (!q.ok) throw new Error(JSON.stringify(q.errors));
	return (await listWorkItems(t.db, q.value)).map((i) => [i.customer_id, i.reason, i.state]);
}

describe('churn items: a closure because the score left the band starts no cool-down', () => {
	beforeEach(async () => {
		t = await tempDb();
		const rule = { id: 'churn-high', name: 'Churn risk band high', enabled: true, definition: { kind: 'churn', min_risk_band: 'high' } };
		expect((await saveRule(t.db, rule)).ok).toBe(true);
		await insertCustomers(t.db, [aCustomer().withId('c004098').worth(100).build()]);
	});
	afterEach(async () => t.cleanup());

	it('out of the high band for the wait, then back in it: the item closed by the system is open again at the next run', async () => {
		await score('c004098', 0.223, 'high');
		expect((await tick(NOW)).opened.map((i) => [i.customer_id, i.reason])).toEqual([['c004098', 'churn']]);

		await score('c004098', 0.143, 'medium');
		expect((await tick(NOW + MINUTE)).closed).toEqual([]);
		const cleared = await tick(NOW + MINUTE + CHURN_CLEAR_GRACE_MS);
		expect(cleared.closed.map((i) => [i.customer_id, i.outcome, i.root_cause])).toEqual([
			['c004098', 'no_action', 'condition cleared']
		]);
		const [closing] = (await listTransitions(t.db, [cleared.closed[0].id])).filter((x) => x.to === 'resolved');
		expect(closing.actor).toBe('system');
		expect(await unresolvedItems()).toEqual([]);

		await score('c004098', 0.219, 'high');
		const back = await tick(NOW + 2 * MINUTE + CHURN_CLEAR_GRACE_MS);
		expect(back.opened.map((i) => [i.customer_id, i.reason, i.state, i.detail?.probability])).toEqual([
			['c004098', 'churn', 'open', 0.219]
		]);
		expect(back.opened[0].id).not.toBe(cleared.closed[0].id);
		expect(await unresolvedItems()).toEqual([['c004098', 'churn', 'open']]);
	});

	it('a dip shorter than the wait neither closes nor reopens the item; the wait starts over after it', async () => {
		await score('c004098', 0.223, 'high');
		const [item] = (await tick(NOW)).opened;
		await score('c004098', 0.143, 'medium');
		expect((await tick(NOW + MINUTE)).closed).toEqual([]);
		await score('c004098', 0.219, 'high');
		const during = await tick(NOW + 14 * MINUTE);
		expect([during.closed, during.opened]).toEqual([[], []]);
		// Out of the band again: the wait counts from this run, not from the first dip.
		await score('c004098', 0.15, 'medium');
		expect((await tick(NOW + 20 * MINUTE)).closed).toEqual([]);
		expect((await tick(NOW + MINUTE + CHURN_CLEAR_GRACE_MS)).closed).toEqual([]);
		expect(await unresolvedItems()).toEqual([['c004098', 'churn', 'open']]);
		expect((await tick(NOW + 20 * MINUTE + CHURN_CLEAR_GRACE_MS)).closed.map((i) => [i.id, i.root_cause])).toEqual([
			[item.id, 'condition cleared']
		]);
	});

	it('an item of a customer who cancels does not wait: it closes as churned at once', async () => {
		await score('c004098', 0.223, 'high');
		expect((await tick(NOW)).opened).toHaveLength(1);
		const cancel = [anEvent().withCustomer('c004098').withType('cancellation').at(new Date(NOW)).build()];
		expect(await ingestEvents(t.db, cancel, { source: 'test', now: new Date(NOW) })).toMatchObject({ ok: true });
		expect((await tick(NOW + MINUTE)).closed.map((i) => [i.customer_id, i.outcome, i.root_cause])).toEqual([
			['c004098', 'churned', 'customer cancelled']
		]);
	});

	it('a person who resolved the item holds the customer back for 7 days, even with "condition cleared" as root cause', async () => {
		await score('c004098', 0.223, 'high');
		const [item] = (await tick(NOW)).opened;
		expect(
			await resolveWorkItem(t.db, item.id, ann, { outcome: 'no_action', root_cause: 'condition cleared' }, NOW + MINUTE)
		).toMatchObject({ ok: true });
		// Still in the high band at every run of the week: no new item.
		for (const at of [NOW + 2 * MINUTE, NOW + DAY, NOW + 6 * DAY]) expect((await tick(at)).opened).toEqual([]);
		expect(await unresolvedItems()).toEqual([]);
		// A week after the resolution the same reason opens a new item again.
		expect((await tick(NOW + 7 * DAY + 2 * MINUTE)).opened.map((i) => i.customer_id)).toEqual(['c004098']);
	});
});

describe('tolerance items: a closure because the debt decayed starts no cool-down', () => {
	beforeEach(async () => {
		t = await tempDbWithToleranceRule();
	});
	afterEach(async () => t.cleanup());

	it('over the limit again after the debt decayed: an item at the next run; a retained customer waits the week', async () => {
		await unhappyCustomers(t.db, ['a', 'b'], NOW);
		const opened = (await tick(NOW)).opened;
		const b = opened.find((i) => i.customer_id === 'b')!;
		expect(await resolveWorkItem(t.db, b.id, ann, { outcome: 'retained' }, NOW + MINUTE)).toMatchObject({ ok: true });
		// 60 days later a's debt has decayed to a quarter, under the limit.
		const later = NOW + 60 * DAY;
		expect((await tick(later)).closed.map((i) => [i.customer_id, i.root_cause])).toEqual([['a', 'condition cleared']]);
		// Both unhappy again the same day (b's resolution is 60 days old, so b is out of its cool-down too).
		const at = new Date(later);
		await appendEvents(
			t.db,
			['a', 'b'].flatMap((id) => [1, 2, 3].map(() => aStoredEvent().forCustomer(id).withType('complaint').at(at).build())),
			[toleranceApplier]
		);
		const again = await tick(later + MINUTE);
		expect(again.opened.map((i) => [i.customer_id, i.reason]).sort()).toEqual([
			['a', 'tolerance'],
			['b', 'tolerance']
		]);
		// b retained again by a person: over the limit the next day, but within the cool-down.
		const b2 = again.opened.find((i) => i.customer_id === 'b')!;
		expect(await resolveWorkItem(t.db, b2.id, ann, { outcome: 'retained' }, later + 2 * MINUTE)).toMatchObject({ ok: true });
		await appendEvents(
			t.db,
			[1, 2, 3].map(() => aStoredEvent().forCustomer('b').withType('complaint').at(new Date(later + DAY)).build()),
			[toleranceApplier]
		);
		expect((await tick(later + DAY + MINUTE)).opened).toEqual([]);
	});
});
