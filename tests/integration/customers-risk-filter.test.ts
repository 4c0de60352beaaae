// The customer list filtered by risk band (GET /api/v1/customers?risk=, /customers?risk=): `high` is
// exactly the customers the at-risk tiles count — the same band, no one who has left, the same segment —
// so "Customers at risk (N)" on the tile's page opens a list of N customers worth the tile's revenue.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqlTs } from '../../src/lib/server/alerts/sql-time';
import { listCustomers } from '../../src/lib/server/customers/profile-list';
import { ingestEvents } from '../../src/lib/server/ingest/ingest-events';
import { loadRiskCounters } from '../../src/lib/server/metrics/risk-queries';
import { aCustomer } from '../fixtures/alerts';
import { insertCustomers } from '../fixtures/alerts-db';
import { anEvent } from '../fixtures/events';
import { tempDb, type TempDb } from '../helpers/temp-db';

const NOW = Date.now();
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW - days * DAY);
let t: TempDb;

beforeEach(async () => {
	t = await tempDb();
	await insertCustomers(t.db, [
		aCustomer().withId('h1').worth(100).build(),
		aCustomer().withId('h2').worth(250).build(),
		aCustomer().withId('h3').inSegment('vip').worth(400).build(),
		// Cancelled, then bought again: still a customer, so at risk.
		aCustomer().withId('back').inSegment('vip').worth(50).build(),
		// Cancelled and not bought since: has left, whatever score is still stored.
		aCustomer().withId('gone').worth(999).build(),
		aCustomer().withId('m1').worth(70).build(),
		aCustomer().withId('l1').inSegment('vip').worth(30).build(),
		aCustomer().withId('unscored').worth(80).build()
	]);
	const r = await ingestEvents(
		t.db,
		[
			// First seen in an event: monthly value never given (the list says null, the tile adds 0).
			anEvent().withCustomer('from-event').withType('visit').at(ago(3)).build(),
			anEvent().withCustomer('back').withType('cancellation').at(ago(20)).build(),
			anEvent().withCustomer('back').withType('purchase').withValue(10).at(ago(5)).build(),
			anEvent().withCustomer('gone').withType('purchase').withValue(10).at(ago(30)).build(),
			anEvent().withCustomer('gone').withType('cancellation').at(ago(10)).build()
		],
		{ source: 'test', now: new Date(NOW) }
	);
	expect(r).toMatchObject({ ok: true });
	const bands: [string, number, 'low' | 'medium' | 'high'][] = [
		['h1', 0.31, 'high'],
		['h2', 0.22, 'high'],
		['h3', 0.4, 'high'],
		['back', 0.19, 'high'],
		['from-event', 0.17, 'high'],
		['gone', 0.9, 'high'],
		['m1', 0.1, 'medium'],
		['l1', 0.02, 'low']
	];
	await t.db.write(async (conn) => {
		for (const [id, p, band] of bands)
			await conn.run(
				`INSERT INTO scores (customer_id, model_version, probability, risk_band, scored_at) VALUES ($1, 'v0001', $2, $3, $4::TIMESTAMP)`,
				[id, p, band, sqlTs(NOW - DAY)]
			);
	});
});
afterEach(async () => t.cleanup());

const listed = async (query: Parameters<typeof listCustomers>[1]) => {
	const r = await listCustomers(t.db, { limit: 500, ...query });
	return {
		...r,
		ids: r.rows.map((x) => x.customer_id),
		revenue: r.rows.reduce((s, x) => s + (x.monthly_value ?? 0), 0)
	};
};

async function counters(segment: string | null) {
	const r = await loadRiskCounters(t.db, segment);
	if (!r.ok) throw new Error(r.error);
	return r.value;
}

describe('customer list filtered by risk band', () => {
	it('risk=high lists exactly the customers the at-risk tiles count, and their monthly values add up to at-risk revenue', async () => {
		const all = await listed({ risk: 'high' });
		// Riskiest first; "gone" (has left) is not there despite the highest score.
		expect(all.ids).toEqual(['h3', 'h1', 'h2', 'back', 'from-event']);
		expect(all.rows.every((x) => x.risk_band === 'high')).toBe(true);
		const tiles = await counters(null);
		expect(tiles).toEqual({ at_risk_customers: 5, at_risk_revenue: 800 });
		expect(all.total).toBe(tiles.at_risk_customers);
		expect(all.revenue).toBe(tiles.at_risk_revenue);

		const vip = await listed({ risk: 'high', segment: 'vip' });
		expect(vip.ids).toEqual(['h3', 'back']);
		const vipTiles = await counters('vip');
		expect(vipTiles).toEqual({ at_risk_customers: 2, at_risk_revenue: 450 });
		expect(vip.total).toBe(vipTiles.at_risk_customers);
		expect(vip.revenue).toBe(vipTiles.at_risk_revenue);
	});

	it('the other bands list their own customers; status still applies, and no one who has left is in a band', async () => {
		expect((await listed({ risk: 'medium' })).ids).toEqual(['m1']);
		expect((await listed({ risk: 'low' })).ids).toEqual(['l1']);
		expect((await listed({ risk: 'high', status: 'active' })).total).toBe(5);
		expect(await listed({ risk: 'high', status: 'cancelled' })).toMatchObject({ total: 0, ids: [] });
		// Without the filter the list still shows everyone, with each score's band.
		const everyone = await listed({ sort: 'id' });
		expect(everyone.total).toBe(9);
		expect(Object.fromEntries(everyone.rows.map((x) => [x.customer_id, x.risk_band]))).toMatchObject({
			gone: 'high',
			unscored: null
		});
	});

	it('pages the filtered list with the filtered total', async () => {
		const first = await listCustomers(t.db, { risk: 'high', limit: 2 });
		const rest = await listCustomers(t.db, { risk: 'high', limit: 2, offset: 2 });
		expect(first.total).toBe(5);
		expect(rest.total).toBe(5);
		expect([...first.rows, ...rest.rows].map((x) => x.customer_id)).toEqual(['h3', 'h1', 'h2', 'back']);
	});
});
