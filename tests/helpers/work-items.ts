// The set-up of the work-item tests on a real DuckDB file: the tolerance rule, which opens an item for each
// customer over their limit, and customers who are over it.
import { expect } from 'vitest';
import { saveRule } from '../../src/lib/server/alerts/rules';
import { toleranceApplier } from '../../src/lib/server/alerts/tolerance-applier';
import type { Db } from '../../src/lib/server/db';
import { aCustomer, aStoredEvent } from '../fixtures/alerts';
import { appendEvents, insertCustomers } from '../fixtures/alerts-db';
import { tempDb, type TempDb } from './temp-db';

export const toleranceRule = (enabled = true) => ({
	id: 'tolerance',
	name: 'Tolerance crossed',
	enabled,
	definition: { kind: 'tolerance' }
});

/** A fresh database (see tempDb) with the tolerance rule saved, enabled. */
export async function tempDbWithToleranceRule(): Promise<TempDb> {
	const t = await tempDb();
	expect((await saveRule(t.db, toleranceRule())).ok).toBe(true);
	return t;
}

/**
 * Customers `ids` in `segment`, worth 100, 200, … a month in list order (so the last has the highest
 * priority), each over the default tolerance limit: two complaints, CSAT 1 and NPS 0 an hour before `now`.
 */
export async function unhappyCustomers(
	db: Db,
	ids: string[],
	now: number,
	segment = 'default'
): Promise<void> {
	await insertCustomers(
		db,
		ids.map((id, i) =>
			aCustomer()
				.withId(id)
				.inSegment(segment)
				.worth(100 * (i + 1))
				.build()
		)
	);
	const at = new Date(now - 3600_000);
	const events = ids.flatMap((id) => [
		aStoredEvent().forCustomer(id).withType('complaint').at(at).build(),
		aStoredEvent().forCustomer(id).withType('complaint').at(at).build(),
		aStoredEvent().forCustomer(id).withType('survey_csat').withRating(1).at(at).build(),
		aStoredEvent().forCustomer(id).withType('survey_nps').withRating(0).at(at).build()
	]);
	await appendEvents(db, events, [toleranceApplier]);
}
