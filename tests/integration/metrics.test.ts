// Every metric of DESIGN §4 against hand-computed values on small fixtures, through the rollup
// applier (the ingest contract) and the tile computation; no raw-event reads in the tile path.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../helpers/temp-db';
import { appendEvents, insertCustomers } from '../fixtures/alerts-db';
import { aCustomer, aStoredEvent, type EventRow } from '../fixtures/alerts';
import { rollupApplier } from '../../src/lib/server/metrics/rollup-applier';
import { customerStateApplier } from '../../src/lib/server/ingest/customer-state-applier';
import { computeTileSet, type TileQuery } from '../../src/lib/server/metrics/tiles';
import { BUCKET_RELATIVE_ERROR } from '../../src/lib/server/metrics/histogram';
import type { Tile } from '../../src/lib/shared/live-events';

let t: TempDb;
beforeEach(async () => {
	t = await tempDb();
});
afterEach(async () => {
	await t.cleanup();
});

const NOW = new Date('2026-03-01T12:00:20Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
const ingest = (events: EventRow[]) => appendEvents(t.db, events, [rollupApplier]);

async function tiles(q: Partial<TileQuery> = {}): Promise<Record<string, Tile>> {
	const set = await computeTileSet(t.db, { window: '1h', channel: null, segment: null, now: NOW, ...q });
	return Object.fromEntries(set.tiles.map((x) => [x.id, x]));
}

const survey = (type: 'survey_csat' | 'survey_nps' | 'survey_ces', rating: number, customer = 'c1') =>
	aStoredEvent().forCustomer(customer).withType(type).withRating(rating).at(minutesAgo(10));

describe('survey and rate metrics', () => {
	it('CSAT, NPS, CES and complaint rate match hand-computed values', async () => {
		await ingest([
			...[5, 4, 3, 1].map((r) => survey('survey_csat', r).build()),
			...[10, 9, 8, 6, 0].map((r) => survey('survey_nps', r).build()),
			...[7, 5, 2].map((r) => survey('survey_ces', r).build()),
			aStoredEvent().withType('complaint').at(minutesAgo(5)).build()
		]);
		const m = await tiles();
		expect(m.csat.value).toBeCloseTo(50); // 2 of 4
		expect(m.nps.value).toBeCloseTo(0); // 40 % promoters − 40 % detractors
		expect(m.ces.value).toBeCloseTo(66.667, 2); // 2 of 3
		expect(m.ces.secondary?.value).toBeCloseTo(14 / 3);
		expect(m.complaint_rate.value).toBeCloseTo((100 * 1) / 13);
		// 50 % of 4 ratings: below the minimum sample, shown without a verdict (verdict.ts).
		expect(m.csat.state).toBe('unjudged');
		expect(m.csat.note).toBe('too few to judge (4 CSAT ratings; 10 needed)');
		expect(m.csat.counts).toEqual({ csat_good: 2, csat_n: 4 });
	});

	it('gives no verdict on too few observations, and one from the minimum sample on', async () => {
		await ingest([survey('survey_csat', 1).build()]);
		let m = await tiles();
		expect(m.csat.value).toBeCloseTo(0);
		expect(m.csat.state).toBe('unjudged');
		expect(m.csat.note).toBe('too few to judge (1 CSAT rating; 10 needed)');
		await ingest([...[1, 2, 3, 1, 2, 3, 1, 2, 3].map((r) => survey('survey_csat', r).build())]);
		m = await tiles();
		expect(m.csat.counts.csat_n).toBe(10);
		expect(m.csat.state).toBe('critical');
		expect(m.csat.note).toBeNull();
	});

	it('honours channel and segment filters', async () => {
		await insertCustomers(t.db, [aCustomer().withId('v1').inSegment('vip').build()]);
		await ingest([
			survey('survey_csat', 5, 'v1').onChannel('app').build(),
			survey('survey_csat', 1, 'c2').onChannel('web').build(),
			survey('survey_csat', 2, 'c3').onChannel('app').build()
		]);
		expect((await tiles({ channel: 'app' })).csat.value).toBeCloseTo(50);
		expect((await tiles({ segment: 'vip' })).csat.value).toBeCloseTo(100);
		expect((await tiles({ segment: 'default' })).csat.value).toBeCloseTo(0);
		expect((await tiles({ channel: 'email' })).csat.state).toBe('nodata');
	});

	it('counts an event exactly at the window start and leaves one exactly at the end out', async () => {
		// now 12:00:20 → window [11:01, 12:01); previous window [10:01, 11:01).
		await ingest([
			survey('survey_csat', 5).at('2026-03-01T11:01:00Z').build(),
			survey('survey_csat', 1).at('2026-03-01T11:00:59Z').build(),
			survey('survey_csat', 1).at('2026-03-01T12:01:00Z').build(),
			survey('survey_csat', 1).at('2026-03-01T10:01:00Z').build()
		]);
		const m = await tiles();
		expect(m.csat.counts).toEqual({ csat_good: 1, csat_n: 1 });
		expect(m.csat.previous).toBeCloseTo(0);
		expect(m.csat.delta).toBeCloseTo(100);
		expect(m.csat.sparkline[0]).toBeCloseTo(100);
		expect(m.csat.sparkline).toHaveLength(30);
	});
});

describe('support metrics', () => {
	const ticket = (id: string, openedAgo: number) =>
		aStoredEvent().forCustomer('c1').withType('support_opened').onTicket(id).at(minutesAgo(openedAgo));

	it('first response and resolution median/p90 are within the documented bucket error', async () => {
		const frt = [30, 45, 60, 90, 120, 200, 300, 600, 900, 1500]; // seconds
		const events: EventRow[] = [];
		frt.forEach((s, i) => {
			const opened = minutesAgo(59);
			events.push(ticket(`t${i}`, 59).build());
			events.push(aStoredEvent().withType('support_reply').onTicket(`t${i}`).at(new Date(opened.getTime() + s * 1000)).build());
			events.push(aStoredEvent().withType('support_solved').onTicket(`t${i}`).at(new Date(opened.getTime() + 2 * s * 1000)).build());
		});
		await ingest(events);
		const m = await tiles();
		const near = (v: number | null, exact: number) => expect(Math.abs(v! - exact) / exact).toBeLessThanOrEqual(BUCKET_RELATIVE_ERROR);
		near(m.frt_median.value, 120); // nearest rank 5 of 10
		near(m.frt_p90.value, 900); // nearest rank 9 of 10
		near(m.res_median.value, 240);
		near(m.res_p90.value, 1800);
		expect(m.frt_p90.counts).toEqual({ first_replies_measured: 10 });
	});

	it('FCR counts ≤ 1 reply and never reopened, and corrects itself on a reopen or a second reply', async () => {
		const reply = (id: string, ago: number) => aStoredEvent().withType('support_reply').onTicket(id).at(minutesAgo(ago));
		const solve = (id: string, ago: number) => aStoredEvent().withType('support_solved').onTicket(id).at(minutesAgo(ago));
		await ingest([
			ticket('A', 50).build(), reply('A', 45).build(), solve('A', 40).build(),
			ticket('B', 50).build(), reply('B', 45).build(), reply('B', 44).build(), solve('B', 40).build(),
			ticket('C', 50).build(), solve('C', 40).build(),
			ticket('D', 50).build(), reply('D', 45).build(), solve('D', 40).build()
		]);
		expect((await tiles()).fcr.value).toBeCloseTo(75);
		await ingest([
			aStoredEvent().withType('support_reopened').onTicket('C').at(minutesAgo(30)).build(),
			reply('D', 20).build()
		]);
		const m = await tiles();
		expect(m.fcr.value).toBeCloseTo(25);
		expect(m.fcr.counts).toEqual({ tickets_fcr: 1, tickets_solved: 4, tickets_reopened: 1 });
		const rows = await t.db.all<{ n: number }>(`SELECT sum(n)::INTEGER AS n FROM rollup_latency WHERE metric = 'frt'`);
		expect(rows[0].n).toBe(3); // A, B, D: first replies only, never double counted
	});
});

describe('customer metrics', () => {
	it('active, new and repeat-purchase rate, with new customers corrected by an older late event', async () => {
		const buy = (c: string) => aStoredEvent().forCustomer(c).withType('purchase').withValue(10).at(minutesAgo(20));
		await ingest([
			aStoredEvent().forCustomer('c3').withType('visit').at(daysAgo(3)).build(),
			buy('c1').build(), buy('c1').build(), buy('c2').build(),
			aStoredEvent().forCustomer('c3').withType('visit').at(minutesAgo(5)).build()
		]);
		let m = await tiles();
		expect(m.active_customers.value).toBe(3);
		expect(m.new_customers.value).toBe(2);
		expect(m.repeat_purchase_rate.value).toBeCloseTo(50);
		await ingest([aStoredEvent().forCustomer('c2').withType('visit').at(daysAgo(2)).build()]);
		m = await tiles();
		expect(m.new_customers.value).toBe(1);
		expect((await tiles({ window: '7d' })).new_customers.value).toBe(3);
	});

	it('churn rate with each definition of lost', async () => {
		// 7 d window, 30 d horizon: candidates for inactivity are active in [−37 d, −30 d) only.
		await ingest([
			aStoredEvent().forCustomer('a').withType('visit').at(daysAgo(35)).build(), // lost: inactivity
			aStoredEvent().forCustomer('b').withType('visit').at(daysAgo(35)).build(),
			aStoredEvent().forCustomer('b').withType('visit').at(daysAgo(3)).build(), // came back
			aStoredEvent().forCustomer('c').withType('visit').at(daysAgo(20)).build(),
			aStoredEvent().forCustomer('c').withType('cancellation').at(daysAgo(4)).build(), // lost: cancellation
			aStoredEvent().forCustomer('d').withType('visit').at(daysAgo(25)).build(), // horizon not over yet
			aStoredEvent().forCustomer('e').withType('visit').at(daysAgo(50)).build() // long gone
		]);
		const rate = async (lostBy: 'either' | 'cancellation' | 'inactivity') =>
			(await tiles({ window: '7d', churn: { inactivityDays: 30, lostBy } })).churn_rate;
		const either = await rate('either');
		expect(either.counts).toEqual({ lost_customers: 2, active_at_start: 4 });
		expect(either.value).toBeCloseTo(50);
		// Its thresholds are monthly figures: at 7 d the tile shows 50 % without a verdict.
		expect(either.state).toBe('unjudged');
		expect(either.note).toBe('thresholds are set for 30 d');
		expect((await rate('cancellation')).value).toBeCloseTo(25);
		expect((await rate('inactivity')).value).toBeCloseTo(25);
	});

	it('average relationship length uses signed_up_at, else the first event', async () => {
		await insertCustomers(t.db, [aCustomer().withId('old').build()]);
		await t.db.run(`UPDATE customers SET signed_up_at = $1::TIMESTAMP WHERE customer_id = 'old'`, [
			'2026-01-30 12:01:00'
		]);
		await ingest([
			aStoredEvent().forCustomer('old').withType('visit').at(minutesAgo(10)).build(),
			aStoredEvent().forCustomer('young').withType('visit').at(daysAgo(10)).build(),
			aStoredEvent().forCustomer('young').withType('visit').at(minutesAgo(10)).build()
		]);
		const m = await tiles();
		// window end Mar 1 12:01:00: old = 30 d since sign-up; young = 10 d + 40 s since its first event.
		expect(m.avg_relationship_days.value).toBeCloseTo((30 + 10 + 40 / 86_400) / 2, 6);
	});

	it('at-risk tiles say there is no data when no customer has been scored', async () => {
		const m = await tiles();
		expect(m.at_risk_customers.state).toBe('nodata');
		expect(m.at_risk_customers.note).toMatch(/no churn scores/);
		expect(m.at_risk_revenue.value).toBeNull();
	});

	it('at-risk customers and revenue count the high band of the latest scores, per segment', async () => {
		await insertCustomers(t.db, [
			aCustomer().withId('h1').worth(100).inSegment('vip').build(),
			aCustomer().withId('h2').worth(40).build(),
			aCustomer().withId('l1').worth(999).build()
		]);
		for (const [id, p, band] of [['h1', 0.9, 'high'], ['h2', 0.8, 'high'], ['l1', 0.1, 'low']] as const) {
			await t.db.run(
				`INSERT INTO scores (customer_id, model_version, probability, risk_band, scored_at) VALUES ($1, 'v0001', $2, $3, now()::TIMESTAMP)`,
				[id, p, band]
			);
		}
		const m = await tiles();
		expect(m.at_risk_customers.value).toBe(2);
		expect(m.at_risk_revenue.value).toBe(140);
		// The server names a snapshot (a windowed tile without a previous window is not one: "no previous data").
		expect([m.at_risk_customers.note, m.at_risk_revenue.note]).toEqual(['current snapshot', 'current snapshot']);
		expect((await tiles({ segment: 'vip' })).at_risk_revenue.value).toBe(100);
		// A segment without scored customers is not "no scores yet"; a channel cannot split a customer's risk.
		const none = await tiles({ segment: 'nobody' });
		expect([none.at_risk_customers.value, none.at_risk_customers.note]).toEqual([null, 'no scored customers in segment "nobody"']);
		const web = await tiles({ channel: 'web' });
		expect([web.at_risk_revenue.value, web.at_risk_revenue.note]).toEqual([140, 'all channels: churn risk is per customer']);
	});

	it('a customer who has left is not at risk, whatever score is still stored', async () => {
		await insertCustomers(t.db, [aCustomer().withId('gone').worth(500).build(), aCustomer().withId('back').worth(70).build()]);
		await appendEvents(t.db, [
			aStoredEvent().forCustomer('gone').withType('purchase').at(daysAgo(20)).build(),
			aStoredEvent().forCustomer('gone').withType('cancellation').at(daysAgo(5)).build(),
			aStoredEvent().forCustomer('back').withType('cancellation').at(daysAgo(9)).build(),
			aStoredEvent().forCustomer('back').withType('purchase').at(daysAgo(2)).build()
		], [rollupApplier, customerStateApplier]);
		for (const id of ['gone', 'back'])
			await t.db.run(
				`INSERT INTO scores (customer_id, model_version, probability, risk_band, scored_at) VALUES ($1, 'v0001', 0.99, 'high', now()::TIMESTAMP)`,
				[id]
			);
		const m = await tiles();
		expect(m.at_risk_customers.value).toBe(1);
		expect(m.at_risk_revenue.value).toBe(70);
	});
});
