// A bulk history load (the demo's first-start seeding) holds the alert loop back: customers are not
// judged on part of their history, and the first tick after the load judges them on all of it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAlertLoop, type AlertLoop } from '../../src/lib/server/alerts/alert-loop';
import { saveRule } from '../../src/lib/server/alerts/rules';
import { toleranceApplier } from '../../src/lib/server/alerts/tolerance-applier';
import { listWorkItems } from '../../src/lib/server/alerts/work-item-list';
import { beginHistoryLoad, historyLoading } from '../../src/lib/server/ingest/history-load';
import { aCustomer, aStoredEvent } from '../fixtures/alerts';
import { appendEvents, insertCustomers } from '../fixtures/alerts-db';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb;
let loop: AlertLoop | null = null;
let endLoad: (() => void) | null = null;

beforeEach(async () => {
	t = await tempDb();
	expect((await saveRule(t.db, { id: 'tolerance', name: 'Tolerance crossed', definition: { kind: 'tolerance' } })).ok).toBe(true);
	await insertCustomers(t.db, [aCustomer().withId('unhappy').worth(100).build()]);
	const at = new Date(Date.now() - 3600_000);
	await appendEvents(
		t.db,
		[
			aStoredEvent().forCustomer('unhappy').withType('complaint').at(at).build(),
			aStoredEvent().forCustomer('unhappy').withType('complaint').at(at).build(),
			aStoredEvent().forCustomer('unhappy').withType('survey_csat').withRating(1).at(at).build(),
			aStoredEvent().forCustomer('unhappy').withType('survey_nps').withRating(0).at(at).build()
		],
		[toleranceApplier]
	);
});
afterEach(async () => {
	await loop?.stop();
	loop = null;
	endLoad?.();
	endLoad = null;
	await t.cleanup();
});

describe('history load', () => {
	it('no work item opens while a history is being loaded; the first tick after it opens them', async () => {
		endLoad = beginHistoryLoad();
		expect(historyLoading()).toBe(true);
		loop = startAlertLoop(t.db, 3_600_000);
		await loop.tick(true);
		expect(await listWorkItems(t.db)).toEqual([]);
		endLoad();
		endLoad(); // a second call must not end some other load
		expect(historyLoading()).toBe(false);
		await loop.tick(true);
		expect((await listWorkItems(t.db)).map((i) => [i.customer_id, i.reason, i.state])).toEqual([['unhappy', 'tolerance', 'open']]);
	});

	it('counts overlapping loads: judging waits for the last one', () => {
		const a = beginHistoryLoad();
		const b = beginHistoryLoad();
		a();
		expect(historyLoading()).toBe(true);
		b();
		expect(historyLoading()).toBe(false);
	});
});
