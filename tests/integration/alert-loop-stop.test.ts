// The alert loop at server shutdown: stop() resolves only once the tick in progress has written what it
// writes (work items, firings, deliveries), so the final checkpoint comes after it; no tick starts after.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAlertLoop } from '../../src/lib/server/alerts/alert-loop';
import { saveRule } from '../../src/lib/server/alerts/rules';
import { toleranceApplier } from '../../src/lib/server/alerts/tolerance-applier';
import { listWorkItems } from '../../src/lib/server/alerts/work-item-list';
import { aCustomer, aStoredEvent } from '../fixtures/alerts';
import { appendEvents, insertCustomers } from '../fixtures/alerts-db';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb;

/** Stored complaints and bad surveys enough to cross the default tolerance. */
async function unhappy(id: string): Promise<void> {
	await insertCustomers(t.db, [aCustomer().withId(id).worth(100).build()]);
	const at = new Date(Date.now() - 3600_000);
	await appendEvents(
		t.db,
		[
			aStoredEvent().forCustomer(id).withType('complaint').at(at).build(),
			aStoredEvent().forCustomer(id).withType('complaint').at(at).build(),
			aStoredEvent().forCustomer(id).withType('survey_csat').withRating(1).at(at).build(),
			aStoredEvent().forCustomer(id).withType('survey_nps').withRating(0).at(at).build()
		],
		[toleranceApplier]
	);
}

beforeEach(async () => {
	t = await tempDb();
	expect((await saveRule(t.db, { id: 'tolerance', name: 'Tolerance crossed', definition: { kind: 'tolerance' } })).ok).toBe(true);
	await unhappy('first');
});
afterEach(() => t.cleanup());

describe('alert loop stop', () => {
	it('waits for the tick in progress, and starts none after', async () => {
		// Connections the loop has open: none may be left once stop() resolves.
		let open = 0;
		const connect = t.db.connect.bind(t.db);
		t.db.connect = async (fn) => {
			open += 1;
			try {
				return await connect(fn);
			} finally {
				open -= 1;
			}
		};
		// Its first tick starts at once (customer rules included) and opens a work item.
		const loop = startAlertLoop(t.db, 3_600_000);
		expect(open).toBeGreaterThan(0);
		await loop.stop();
		expect(open).toBe(0);
		expect((await listWorkItems(t.db)).map((i) => i.customer_id)).toEqual(['first']);

		await unhappy('second');
		await loop.tick(true);
		expect((await listWorkItems(t.db)).map((i) => i.customer_id)).toEqual(['first']);
	});
});
