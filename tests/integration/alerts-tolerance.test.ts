import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addContributions } from '../../src/lib/server/alerts/debt';
import { DEFAULT_TOLERANCE } from '../../src/lib/server/alerts/tolerance-defaults';
import { toleranceApplier } from '../../src/lib/server/alerts/tolerance-applier';
import { saveToleranceSettings } from '../../src/lib/server/alerts/tolerance-settings';
import { ingestEvents } from '../../src/lib/server/ingest/ingest-events';
import { aCustomer, aStoredEvent } from '../fixtures/alerts';
import { anEvent } from '../fixtures/events';
import { appendEvents, insertCustomers } from '../fixtures/alerts-db';
import { tempDb, type TempDb } from '../helpers/temp-db';

const W = DEFAULT_TOLERANCE.weights;
let t: TempDb;
beforeEach(async () => (t = await tempDb()));
afterEach(async () => t.cleanup());

async function debtOf(id: string) {
	return t.db.one<{ debt: number; updated_at: Date; crossed_at: Date | null }>(
		'SELECT debt, updated_at, crossed_at FROM customer_debt WHERE customer_id = $1',
		[id]
	);
}
async function kindsOf(id: string) {
	const rows = await t.db.all<{ kind: string }>(
		'SELECT kind FROM debt_contributions WHERE customer_id = $1 ORDER BY occurred_at, kind',
		[id]
	);
	return rows.map((r) => r.kind);
}

describe('tolerance applier', () => {
	it.each([
		{ type: 'survey_csat', rating: 1, kind: 'csat_low' },
		{ type: 'survey_csat', rating: 2, kind: 'csat_low' },
		{ type: 'survey_csat', rating: 3, kind: null },
		{ type: 'survey_csat', rating: 5, kind: 'csat_high' },
		{ type: 'survey_nps', rating: 6, kind: 'nps_detractor' },
		{ type: 'survey_nps', rating: 7, kind: null },
		{ type: 'survey_nps', rating: 9, kind: 'nps_promoter' },
		{ type: 'survey_ces', rating: 2, kind: 'ces_low' },
		{ type: 'survey_ces', rating: 6, kind: null },
		{ type: 'complaint', rating: null, kind: 'complaint' },
		{ type: 'refund', rating: null, kind: 'refund' },
		{ type: 'praise', rating: null, kind: 'praise' },
		{ type: 'purchase', rating: null, kind: 'purchase' },
		{ type: 'visit', rating: null, kind: null }
	] as const)('$type rating $rating → $kind', async ({ type, rating, kind }) => {
		const b = aStoredEvent().forCustomer('c1').withType(type);
		if (rating !== null) b.withRating(rating);
		await appendEvents(t.db, [b.build()], [toleranceApplier]);
		expect(await kindsOf('c1')).toEqual(kind ? [kind] : []);
	});

	it('adds bad experiences, pays back good ones, and decays between updates', async () => {
		await appendEvents(
			t.db,
			[
				aStoredEvent().forCustomer('c1').withType('complaint').at('2026-01-01T00:00:00Z').build(),
				aStoredEvent()
					.forCustomer('c1')
					.withType('survey_csat')
					.withRating(1)
					.at('2026-01-01T00:00:00Z')
					.build()
			],
			[toleranceApplier]
		);
		expect((await debtOf('c1'))!.debt).toBeCloseTo(W.complaint + W.csat_low, 9);
		await appendEvents(
			t.db,
			[aStoredEvent().forCustomer('c1').withType('praise').at('2026-01-31T00:00:00Z').build()],
			[toleranceApplier]
		);
		const d = await debtOf('c1');
		expect(d!.debt).toBeCloseTo((W.complaint + W.csat_low) / 2 + W.praise, 9);
		expect(d!.updated_at.toISOString()).toBe('2026-01-31T00:00:00.000Z');
	});

	it('agrees with the pure arithmetic for events arriving out of order', async () => {
		const events = [
			aStoredEvent().forCustomer('c2').withType('refund').at('2026-02-10T00:00:00Z').build(),
			aStoredEvent().forCustomer('c2').withType('complaint').at('2026-01-05T00:00:00Z').build(),
			aStoredEvent().forCustomer('c2').withType('survey_nps').withRating(0).at('2026-01-20T12:00:00Z').build()
		];
		for (const e of events) await appendEvents(t.db, [e], [toleranceApplier]);
		const pts = { refund: W.refund, complaint: W.complaint, survey_nps: W.nps_detractor } as Record<
			string,
			number
		>;
		const want = addContributions(
			null,
			events.map((e) => ({ at: e.occurred_at.getTime(), points: pts[e.type] })),
			30
		);
		expect((await debtOf('c2'))!.debt).toBeCloseTo(want.debt, 6);
	});

	it('ignores duplicates: re-applying the same events adds nothing', async () => {
		const e = aStoredEvent().forCustomer('c1').withType('complaint').build();
		await appendEvents(t.db, [e], [toleranceApplier]);
		await t.db.write(async (conn) => {
			await conn.run('CREATE TEMP TABLE again AS SELECT * FROM events');
			await toleranceApplier.apply(conn, 'again');
		});
		expect((await debtOf('c1'))!.debt).toBeCloseTo(W.complaint, 9);
	});

	it('counts a late first reply, a reopen and a repeat contact on the same ticket', async () => {
		const tk = 'T-1';
		await appendEvents(
			t.db,
			[
				aStoredEvent()
					.forCustomer('c1')
					.withType('support_opened')
					.onTicket(tk)
					.at('2026-01-01T00:00:00Z')
					.build(),
				aStoredEvent()
					.forCustomer('c1')
					.withType('support_reply')
					.onTicket(tk)
					.at('2026-01-01T20:00:00Z')
					.build()
			],
			[toleranceApplier]
		);
		await appendEvents(
			t.db,
			[
				aStoredEvent()
					.forCustomer('c1')
					.withType('support_reply')
					.onTicket(tk)
					.at('2026-01-02T22:00:00Z')
					.build(),
				aStoredEvent()
					.forCustomer('c1')
					.withType('support_reopened')
					.onTicket(tk)
					.at('2026-01-03T00:00:00Z')
					.build(),
				aStoredEvent().forCustomer('c1').withType('complaint').onTicket(tk).at('2026-01-04T00:00:00Z').build()
			],
			[toleranceApplier]
		);
		expect(await kindsOf('c1')).toEqual([
			'slow_first_response',
			'ticket_reopened',
			'complaint',
			'repeat_contact'
		]);
	});

	it('a quick first reply and a contact after 7 days are not bad experiences', async () => {
		await appendEvents(
			t.db,
			[
				aStoredEvent()
					.forCustomer('c1')
					.withType('support_opened')
					.onTicket('T-2')
					.at('2026-01-01T00:00:00Z')
					.build(),
				aStoredEvent()
					.forCustomer('c1')
					.withType('support_reply')
					.onTicket('T-2')
					.at('2026-01-01T01:00:00Z')
					.build(),
				aStoredEvent()
					.forCustomer('c1')
					.withType('x-chat-message')
					.onTicket('T-2')
					.at('2026-01-09T00:00:00Z')
					.build()
			],
			[toleranceApplier]
		);
		expect(await kindsOf('c1')).toEqual([]);
	});

	it('records when the limit is crossed, using segment settings and the customer override', async () => {
		await insertCustomers(t.db, [
			aCustomer().withId('vip1').inSegment('vip').build(),
			aCustomer().withId('own').withTolerance(10).build()
		]);
		const saved = await saveToleranceSettings(t.db, 'vip', {
			...DEFAULT_TOLERANCE,
			limit: 20,
			weights: { ...W, complaint: 25 }
		});
		expect(saved.ok).toBe(true);
		await appendEvents(
			t.db,
			[
				aStoredEvent().forCustomer('vip1').withType('complaint').at('2026-01-01T00:00:00Z').build(),
				aStoredEvent()
					.forCustomer('own')
					.withType('survey_csat')
					.withRating(1)
					.at('2026-01-01T00:00:00Z')
					.build(),
				aStoredEvent()
					.forCustomer('plain')
					.withType('survey_csat')
					.withRating(1)
					.at('2026-01-01T00:00:00Z')
					.build()
			],
			[toleranceApplier]
		);
		expect((await debtOf('vip1'))!.debt).toBe(25);
		expect((await debtOf('vip1'))!.crossed_at?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
		expect((await debtOf('own'))!.crossed_at).not.toBeNull();
		expect((await debtOf('plain'))!.crossed_at).toBeNull();
	});

	it('dates the crossing at the event that crossed the limit within a batch spanning weeks', async () => {
		// A seed or import batch holds weeks of one customer's events; "over the limit since" must be the
		// complaint that took the debt over (Jan 10), not the batch's last event (Jan 12).
		await insertCustomers(t.db, [aCustomer().withId('c9').withTolerance(W.complaint + 1).build()]);
		const at = ['2026-01-01', '2026-01-10', '2026-01-12'];
		const events = [
			aStoredEvent().forCustomer('c9').withType('complaint').at(`${at[0]}T00:00:00Z`).build(),
			aStoredEvent().forCustomer('c9').withType('complaint').at(`${at[1]}T00:00:00Z`).build(),
			aStoredEvent().forCustomer('c9').withType('praise').at(`${at[2]}T00:00:00Z`).build()
		];
		await appendEvents(t.db, events, [toleranceApplier]);
		const want = addContributions(
			null,
			[
				{ at: Date.parse(`${at[0]}T00:00:00Z`), points: W.complaint },
				{ at: Date.parse(`${at[1]}T00:00:00Z`), points: W.complaint },
				{ at: Date.parse(`${at[2]}T00:00:00Z`), points: W.praise }
			],
			30,
			W.complaint + 1
		);
		expect(want.debt).toBeGreaterThanOrEqual(W.complaint + 1);
		const d = await debtOf('c9');
		expect(d!.debt).toBeCloseTo(want.debt, 6);
		expect(d!.crossed_at?.toISOString()).toBe('2026-01-10T00:00:00.000Z');
	});

	it('never lets a payback earlier in a batch cancel a later bad experience (debt as the chart draws it)', async () => {
		const events = [
			aStoredEvent().forCustomer('c8').withType('praise').at('2026-01-01T00:00:00Z').build(),
			aStoredEvent().forCustomer('c8').withType('complaint').at('2026-01-02T00:00:00Z').build()
		];
		await appendEvents(t.db, events, [toleranceApplier]);
		expect((await debtOf('c8'))!.debt).toBeCloseTo(W.complaint, 9);
	});

	it('gives the same debt and crossing whether a customer has one new contribution per batch or many', async () => {
		// The applier steps a customer with one new contribution without the list reduce it uses for several;
		// both must leave the same bits. A seeded walk of bad and good experiences in time order, limits low
		// enough to cross up and down, applied once in one batch (reduce) and once an event per batch (one-step).
		const kinds = ['complaint', 'praise', 'refund', 'purchase'] as const;
		let seed = 11;
		const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
		const events = Array.from({ length: 32 }, (_, i) =>
			aStoredEvent()
				.forCustomer(`w${i % 4}`)
				.withType(kinds[Math.floor(rnd() * kinds.length)])
				.at(new Date(Date.UTC(2026, 0, 1) + i * 14_400_000 + Math.floor(rnd() * 3_600_000)).toISOString())
				.build()
		);
		await insertCustomers(t.db, [0, 1, 2, 3].map((i) => aCustomer().withId(`w${i}`).withTolerance(W.complaint + i * 3).build()));
		const state = () =>
			t.db.all<{ customer_id: string; debt: number; updated_at: Date; crossed_at: Date | null }>(
				'SELECT customer_id, debt, updated_at, crossed_at FROM customer_debt ORDER BY customer_id'
			);
		await appendEvents(t.db, events, [toleranceApplier]);
		const together = await state();
		await t.db.run('DELETE FROM customer_debt');
		await t.db.run('DELETE FROM debt_contributions');
		await t.db.run('DELETE FROM events');
		for (const e of events) await appendEvents(t.db, [e], [toleranceApplier]);
		const apart = await state();
		expect(together).toHaveLength(4);
		expect(together.filter((r) => r.crossed_at !== null).length).toBeGreaterThan(0);
		expect(apart).toEqual(together);
	});

	it('rejects invalid settings naming the field', async () => {
		const r = await saveToleranceSettings(t.db, 'vip', { ...DEFAULT_TOLERANCE, halfLifeDays: 0 });
		expect(r).toEqual({
			ok: false,
			errors: [{ field: 'halfLifeDays', message: expect.stringMatching(/half-life/) }]
		});
	});

	it('ingests with every setting at its bound', async () => {
		await insertCustomers(t.db, [aCustomer().withId('big').inSegment('vip').build()]);
		const weights = { ...W, complaint: 1000, praise: -1000 };
		expect(await saveToleranceSettings(t.db, 'vip', { weights, halfLifeDays: 3650, limit: 1_000_000, firstResponseSlaHours: 8760 })).toEqual({ ok: true });
		const batch = [anEvent().withCustomer('big').withType('complaint').at('2026-01-01T00:00:00Z').build()];
		expect(await ingestEvents(t.db, batch, { source: 'test' })).toMatchObject({ ok: true, value: { accepted: 1 } });
		expect((await debtOf('big'))!.debt).toBe(1000);
	});

	it('stores whole and fractional values in the same columns and reads each back as saved', async () => {
		// The client binds a whole number (2) as an integer and 2.5 as a double; both must land in the DOUBLE columns.
		for (const n of [2, 2.5, 0.5, 2]) {
			expect(await saveToleranceSettings(t.db, 'vip', { weights: { ...W, complaint: n }, halfLifeDays: n, limit: n, firstResponseSlaHours: n })).toEqual({ ok: true });
			const row = await t.db.one(
				`SELECT weights->>'complaint' AS complaint, half_life_days, tolerance_limit, first_response_sla_hours FROM tolerance_settings WHERE segment = 'vip'`
			);
			expect(row).toEqual({ complaint: String(n), half_life_days: n, tolerance_limit: n, first_response_sla_hours: n });
		}
	});

	it('ingest survives a huge whole-number weight stored before the bounds (bound as DOUBLE, not BIGINT)', async () => {
		// As a database saved before the bounds holds it: 1e19 is beyond int64, and binding it as one failed every batch.
		await t.db.run(
			`INSERT INTO tolerance_settings (segment, weights, half_life_days, tolerance_limit, first_response_sla_hours) VALUES ('nobody', $1::JSON, 30, 40, 8)`,
			[JSON.stringify({ ...W, complaint: 1e19 })]
		);
		const batch = [anEvent().withCustomer('real').withType('complaint').at('2026-01-01T00:00:00Z').build()];
		expect(await ingestEvents(t.db, batch, { source: 'test' })).toMatchObject({ ok: true, value: { accepted: 1 } });
		expect((await debtOf('real'))!.debt).toBe(W.complaint);
	});

	it('runs inside the real ingest path (ingestEvents), once per new event', async () => {
		const batch = [
			anEvent().withCustomer('real').withType('complaint').at('2026-01-01T00:00:00Z').build(),
			anEvent().withCustomer('real').withType('survey_csat').withRating(1).at('2026-01-01T00:00:00Z').build()
		];
		expect(await ingestEvents(t.db, batch, { source: 'test' })).toMatchObject({ ok: true });
		expect(await ingestEvents(t.db, batch, { source: 'test' })).toMatchObject({
			ok: true,
			value: { accepted: 0 }
		});
		expect((await debtOf('real'))!.debt).toBeCloseTo(W.complaint + W.csat_low, 9);
	});
});
