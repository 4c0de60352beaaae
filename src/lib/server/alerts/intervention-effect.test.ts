import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import {
	anInterventionCustomer,
	storeInterventionCustomers,
	type InterventionCustomer
} from '../../../../tests/fixtures/interventions';
import { computeInterventionEffect, MIN_COMPARABLE } from './intervention-effect';

const d = (s: string) => new Date(`${s}T00:00:00Z`);
// asOf 2026-07-01, horizon 30 days, period 180 days: reference times in [2025-12-03, 2026-06-01],
// and "last seen within the horizon" means last seen on or after 2026-06-01.
const opts = { asOf: d('2026-07-01'), inactivityDays: 30, periodDays: 180 };
const times = <T>(n: number, f: () => T): T[] => Array.from({ length: n }, f);

describe('computeInterventionEffect', () => {
	let t: TempDb;
	beforeEach(async () => {
		t = await tempDb();
	});
	afterEach(async () => {
		await t.cleanup();
	});

	it('compares retention of worked and not-worked customers per probability band', async () => {
		const worked = () =>
			anInterventionCustomer()
				.scored(d('2026-01-10'), 0.1) // older score: not the nearest before the item
				.scored(d('2026-02-28'), 0.7)
				.scored(d('2026-03-05'), 0.1) // after the item: ignored
				.worked(d('2026-03-01'));
		const notWorked = () => anInterventionCustomer().scored(d('2026-03-01'), 0.65);
		const customers: InterventionCustomer[] = [
			// band 60–80 %, worked: 14 retained, 3 inactive too long, 2 cancelled after the item, 1 no event after the item
			...times(14, () => worked().lastSeen(d('2026-06-20')).build()),
			...times(3, () => worked().lastSeen(d('2026-03-10')).build()),
			...times(2, () => worked().lastSeen(d('2026-06-20')).cancelled(d('2026-04-01')).build()),
			...times(1, () => worked().lastSeen(d('2026-02-20')).build()),
			// band 60–80 %, not worked: 8 retained, 12 lost
			...times(8, () => notWorked().lastSeen(d('2026-06-25')).build()),
			...times(12, () => notWorked().lastSeen(d('2026-04-01')).build()),
			// band 80–100 % (1.0 included), worked: 2 of 3 retained; too few to compare
			...times(2, () => anInterventionCustomer().scored(d('2026-02-01'), 1).worked(d('2026-02-02')).lastSeen(d('2026-06-10')).build()),
			anInterventionCustomer().scored(d('2026-02-01'), 1).worked(d('2026-02-02')).lastSeen(d('2026-02-05')).build(),
			// left out: no score before the item (counted apart), an unresolved item, an item after the
			// period, a not-worked score before the period
			anInterventionCustomer().worked(d('2026-03-01')).scored(d('2026-03-02'), 0.7).lastSeen(d('2026-06-20')).build(),
			anInterventionCustomer().scored(d('2026-03-01'), 0.7).worked(d('2026-03-02'), 'claimed').lastSeen(d('2026-06-20')).build(),
			anInterventionCustomer().scored(d('2026-06-10'), 0.7).worked(d('2026-06-15')).lastSeen(d('2026-06-20')).build(),
			anInterventionCustomer().scored(d('2025-11-01'), 0.7).lastSeen(d('2026-06-20')).build(),
			// left out: an item the system closed by itself was not worked (and the customer had an item)
			anInterventionCustomer().scored(d('2026-02-28'), 0.7).closedBySystem(d('2026-03-01')).lastSeen(d('2026-03-10')).build()
		];
		await storeInterventionCustomers(t.db, customers);

		const r = await computeInterventionEffect(t.db, opts);

		expect(r.periodStart).toBe('2025-12-03T00:00:00.000Z');
		expect(r.periodEnd).toBe('2026-06-01T00:00:00.000Z');
		expect(r.workedWithoutScore).toBe(1);
		const band = (from: number) => r.bands.find((b) => b.from === from)!;
		expect(band(0.6).worked).toEqual({ n: 20, retained: 14, rate: 14 / 20 });
		expect(band(0.6).notWorked).toEqual({ n: 20, retained: 8, rate: 8 / 20 });
		expect(band(0.6).comparable).toBe(true);
		expect(band(0.6).differencePoints).toBeCloseTo(30, 9);
		expect(band(0.8).worked).toEqual({ n: 3, retained: 2, rate: 2 / 3 });
		expect(band(0.8).notWorked).toEqual({ n: 0, retained: 0, rate: null });
		expect(band(0.8).comparable).toBe(false);
		expect(band(0.8).differencePoints).toBeNull();
		for (const from of [0, 0.2, 0.4]) {
			expect(band(from).worked.n + band(from).notWorked.n).toBe(0);
		}
	});

	it('does not compare a band with fewer than the minimum in one group', async () => {
		const customers = [
			...times(MIN_COMPARABLE, () => anInterventionCustomer().scored(d('2026-02-01'), 0.3).worked(d('2026-02-02')).lastSeen(d('2026-06-10')).build()),
			...times(MIN_COMPARABLE - 1, () => anInterventionCustomer().scored(d('2026-02-01'), 0.3).lastSeen(d('2026-06-10')).build())
		];
		await storeInterventionCustomers(t.db, customers);
		const b = (await computeInterventionEffect(t.db, opts)).bands.find((x) => x.from === 0.2)!;
		expect(b.worked.n).toBe(MIN_COMPARABLE);
		expect(b.notWorked.n).toBe(MIN_COMPARABLE - 1);
		expect(b.comparable).toBe(false);
	});
});
