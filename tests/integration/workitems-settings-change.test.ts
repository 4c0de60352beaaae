// Tolerance items closed because a tolerance settings save took their customers under the limit: the
// history says so and no re-open cool-down starts, so settings put back a minute later bring the items
// back; an item closed because the debt decayed says nothing of settings (and starts no cool-down either:
// workitems-condition-cleared.test.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recomputeDebt } from '../../src/lib/server/alerts/debt-recompute';
import { evaluateAlerts } from '../../src/lib/server/alerts/evaluate';
import { DEFAULT_TOLERANCE, type ToleranceSettings } from '../../src/lib/server/alerts/tolerance-defaults';
import { toleranceApplier } from '../../src/lib/server/alerts/tolerance-applier';
import { removeToleranceSettings, saveToleranceSettings } from '../../src/lib/server/alerts/tolerance-settings';
import { listTransitions } from '../../src/lib/server/alerts/work-items';
import { listCustomers } from '../../src/lib/server/customers/profile-list';
import { transitionWords } from '../../src/lib/components/alerts/worklist-history';
import { aStoredEvent } from '../fixtures/alerts';
import { appendEvents } from '../fixtures/alerts-db';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import type { TempDb } from '../helpers/temp-db';
import { tempDbWithToleranceRule, unhappyCustomers } from '../helpers/work-items';

let t: TempDb;
const NOW = Date.now();
const MINUTE = 60_000;
const DAY = 86_400_000;

beforeEach(async () => {
	t = await tempDbWithToleranceRule();
});
afterEach(async () => t.cleanup());

/** Every bad experience worth 1 point: the customers' debt falls far under the limit of 40. */
const MILD: ToleranceSettings = {
	...DEFAULT_TOLERANCE,
	weights: Object.fromEntries(
		Object.entries(DEFAULT_TOLERANCE.weights).map(([k, w]) => [k, w > 0 ? 1 : w])
	) as ToleranceSettings['weights']
};

async function saveAndRecompute(segment: string, s: ToleranceSettings): Promise<void> {
	expect(await saveToleranceSettings(t.db, segment, s)).toEqual({ ok: true });
	await recomputeDebt(t.db, segment === '*' ? {} : { segments: [segment] });
}

const tick = (now: number) => evaluateAlerts(t.db, new Map(), { customers: true, now });

describe('tolerance items and a settings change', () => {
	it('closed by a settings change: the history says so, and settings put back open items again at the next tick', async () => {
		await unhappyCustomers(t.db, ['a', 'b'], NOW, 'vip');
		await unhappyCustomers(t.db, ['c'], NOW);
		expect((await tick(NOW)).opened.map((i) => i.customer_id).sort()).toEqual(['a', 'b', 'c']);

		await saveAndRecompute('vip', MILD);
		const closed = await tick(NOW + MINUTE);
		expect(closed.closed.map((i) => [i.customer_id, i.outcome, i.root_cause]).sort()).toEqual([
			['a', 'no_action', 'tolerance settings for vip changed'],
			['b', 'no_action', 'tolerance settings for vip changed']
		]);
		const [history] = await listTransitions(t.db, [closed.closed[0].id]).then((ts) => ts.filter((x) => x.to === 'resolved'));
		// 2 complaints, a low CSAT and an NPS detractor at 1 point each, an hour old.
		expect(history.detail).toMatchObject({ settings_change: true, settings_segment: 'vip', debt: 4, limit: 40 });
		expect(transitionWords(history)?.text).toBe(
			'closed by the system: debt now 4 pts, under the limit of 40 pts, after tolerance settings for vip were changed'
		);

		await saveAndRecompute('vip', DEFAULT_TOLERANCE);
		const reopened = await tick(NOW + 2 * MINUTE);
		expect(reopened.opened.map((i) => i.customer_id).sort()).toEqual(['a', 'b']);
	});

	it("a '*' save names every other segment; a customer whose segment has its own settings is not closed by it", async () => {
		await unhappyCustomers(t.db, ['a'], NOW, 'vip');
		await unhappyCustomers(t.db, ['c'], NOW);
		expect(await saveToleranceSettings(t.db, 'vip', DEFAULT_TOLERANCE)).toEqual({ ok: true });
		expect((await tick(NOW)).opened.map((i) => i.customer_id).sort()).toEqual(['a', 'c']);
		await saveAndRecompute('*', MILD);
		const closed = await tick(NOW + MINUTE);
		expect(closed.closed.map((i) => [i.customer_id, i.root_cause])).toEqual([
			['c', 'tolerance settings for every other segment (*) changed']
		]);
		const [history] = (await listTransitions(t.db, [closed.closed[0].id])).filter((x) => x.to === 'resolved');
		expect(transitionWords(history)?.text).toBe(
			'closed by the system: debt now 4 pts, under the limit of 40 pts, after tolerance settings for every other segment (*) were changed'
		);
	});

	it('closed because the debt decayed (no settings saved since it opened): "condition cleared", and over the limit again it is back', async () => {
		await unhappyCustomers(t.db, ['a'], NOW, 'vip');
		// Settings saved before the item opened are not a change that closes it.
		await saveAndRecompute('vip', DEFAULT_TOLERANCE);
		const opened = await tick(NOW + MINUTE);
		expect(opened.opened.map((i) => i.customer_id)).toEqual(['a']);
		// 60 days later the debt has decayed to a quarter, under the limit.
		const later = NOW + 60 * DAY;
		const closed = await tick(later);
		expect(closed.closed.map((i) => [i.customer_id, i.root_cause])).toEqual([['a', 'condition cleared']]);
		const [history] = (await listTransitions(t.db, [closed.closed[0].id])).filter((x) => x.to === 'resolved');
		expect(history.detail).not.toHaveProperty('settings_change');
		// Unhappy again the same day: nobody acted on the closed item, so no cool-down holds the customer back.
		const at = new Date(later);
		await appendEvents(
			t.db,
			[1, 2, 3].map(() => aStoredEvent().forCustomer('a').withType('complaint').at(at).build()),
			[toleranceApplier]
		);
		const [row] = (await listCustomers(t.db, { q: 'a' })).rows;
		expect(row.debt).toBeGreaterThan(row.limit);
		expect((await tick(later + MINUTE)).opened.map((i) => i.customer_id)).toEqual(['a']);
	});

	it("closed by the removal of its segment's settings (its customers fall back to *): said so after a restart too, no cool-down, and the segment can be added again", async () => {
		await saveAndRecompute('*', MILD);
		await saveAndRecompute('vip', DEFAULT_TOLERANCE);
		await unhappyCustomers(t.db, ['a'], NOW, 'vip');
		await unhappyCustomers(t.db, ['c'], NOW);
		// Opened after both saves (the tick's clock is the server's, as the saves' is).
		expect((await tick(Date.now())).opened.map((i) => i.customer_id)).toEqual(['a']);

		expect(await removeToleranceSettings(t.db, 'vip', 'ana')).toEqual({ ok: true });
		await recomputeDebt(t.db, { segments: ['vip'] });
		// A restart between the removal and the tick that closes the item.
		await shutdownDb(t.path);
		t.db = await getDb(t.path);

		const closed = await tick(Date.now() + MINUTE);
		expect(closed.closed.map((i) => [i.customer_id, i.outcome, i.root_cause])).toEqual([
			['a', 'no_action', 'tolerance settings for vip removed']
		]);
		const [history] = (await listTransitions(t.db, [closed.closed[0].id])).filter((x) => x.to === 'resolved');
		expect(history.detail).toMatchObject({ settings_change: true, settings_removed: true, settings_segment: 'vip', debt: 4, limit: 40 });
		expect(transitionWords(history)?.text).toBe(
			'closed by the system: debt now 4 pts, under the limit of 40 pts, after tolerance settings for vip were removed'
		);

		// vip's settings back: the customer is over the limit again and gets an item at once.
		await saveAndRecompute('vip', DEFAULT_TOLERANCE);
		expect((await tick(Date.now())).opened.map((i) => i.customer_id)).toEqual(['a']);
		// Removed a second time: the newer removal counts, for the item opened since.
		expect(await removeToleranceSettings(t.db, 'vip')).toEqual({ ok: true });
		await recomputeDebt(t.db, { segments: ['vip'] });
		expect((await tick(Date.now() + MINUTE)).closed.map((i) => [i.customer_id, i.root_cause])).toEqual([
			['a', 'tolerance settings for vip removed']
		]);
	});

	it('a removal before the item opened is not what closed it: a later decay closes it as "condition cleared"', async () => {
		await saveAndRecompute('vip', DEFAULT_TOLERANCE);
		expect(await removeToleranceSettings(t.db, 'vip')).toEqual({ ok: true });
		await unhappyCustomers(t.db, ['a'], NOW, 'vip');
		expect((await tick(Date.now() + MINUTE)).opened.map((i) => i.customer_id)).toEqual(['a']);
		const closed = await tick(NOW + 60 * DAY);
		expect(closed.closed.map((i) => [i.customer_id, i.root_cause])).toEqual([['a', 'condition cleared']]);
		const [history] = (await listTransitions(t.db, [closed.closed[0].id])).filter((x) => x.to === 'resolved');
		expect(history.detail).not.toHaveProperty('settings_change');
	});
});
