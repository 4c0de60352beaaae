// The at-risk page reads the risk counters once: its tile and its "Customers at risk (N)" link take the
// counters the page read, and only the segment rows read their own.
import { afterEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { aCustomer } from '../../../../tests/fixtures/alerts';
import { insertCustomers } from '../../../../tests/fixtures/alerts-db';
import { sqlTs } from '../alerts/sql-time';
import { atRiskCustomersLink } from './at-risk-link';
import { computeDrilldown } from './drilldown';
import type { RiskResult } from './risk-queries';

let t: TempDb | undefined;
afterEach(async () => {
	await t?.cleanup();
	t = undefined;
});

/** One customer at high risk in vip, none in default. */
async function scored(): Promise<TempDb> {
	const d = await tempDb();
	await insertCustomers(d.db, [
		aCustomer().withId('d1').worth(100).build(),
		aCustomer().withId('v1').inSegment('vip').worth(300).build()
	]);
	const at = sqlTs(Date.now() - 3_600_000);
	for (const [id, band] of [
		['d1', 'low'],
		['v1', 'high']
	])
		await d.db.run(
			`INSERT INTO scores (customer_id, model_version, probability, risk_band, reasons, scored_at) VALUES ($1, 'v0001', 0.5, $2, '[]', $3::TIMESTAMP)`,
			[id, band, at]
		);
	return d;
}

/** Counters unlike the database's, so that a second read would show. */
const READ: RiskResult = { ok: true, value: { at_risk_customers: 7, at_risk_revenue: 1234 } };
const scope = { window: '24h' as const, channel: null, segment: 'vip' };

describe('risk counters read once by the at-risk page', () => {
	it("the tile and the link take the caller's counters; the segment rows read their own", async () => {
		t = await scored();
		const given = await computeDrilldown(t.db, 'at_risk_customers', scope, { risk: READ });
		expect(given.ok && given.value.tile.value).toBe(7);
		expect(given.ok && given.value.bySegment.map((r) => [r.key, r.value])).toEqual([
			['default', 0],
			['vip', 1]
		]);
		const revenue = await computeDrilldown(t.db, 'at_risk_revenue', scope, { risk: READ });
		expect(revenue.ok && revenue.value.tile.value).toBe(1234);
		expect(await atRiskCustomersLink(t.db, 'at_risk_customers', 'vip', READ)).toEqual({
			href: '/customers?risk=high&sort=risk&segment=vip',
			count: 7
		});
	});

	it('without them, each reads the database', async () => {
		t = await scored();
		const read = await computeDrilldown(t.db, 'at_risk_customers', scope);
		expect(read.ok && read.value.tile.value).toBe(1);
		expect(await atRiskCustomersLink(t.db, 'at_risk_customers', 'vip')).toEqual({
			href: '/customers?risk=high&sort=risk&segment=vip',
			count: 1
		});
	});
});
