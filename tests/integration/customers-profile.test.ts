import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../src/lib/server/alerts/evaluate';
import { saveRule } from '../../src/lib/server/alerts/rules';
import { claimWorkItem } from '../../src/lib/server/alerts/work-item-actions';
import { addWorkItemNote } from '../../src/lib/server/alerts/work-item-notes';
import { getCustomerProfile, parseTimelineCursor, TIMELINE_LIMIT, type TimelineCursor } from '../../src/lib/server/customers/profile';
import { DEFAULT_TOLERANCE } from '../../src/lib/server/alerts/tolerance-defaults';
import { saveToleranceSettings } from '../../src/lib/server/alerts/tolerance-settings';
import { listCustomers } from '../../src/lib/server/customers/profile-list';
import { upsertCustomers } from '../../src/lib/server/customers/upsert-customers';
import { ingestEvents } from '../../src/lib/server/ingest/ingest-events';
import { aCustomer } from '../fixtures/alerts';
import { insertCustomers } from '../fixtures/alerts-db';
import { anEvent } from '../fixtures/events';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb;
const NOW = Date.now();
const ago = (h: number) => new Date(NOW - h * 3600_000);
beforeEach(async () => (t = await tempDb()));
afterEach(async () => t.cleanup());

describe('customer 360', () => {
	it('returns null for an unknown customer', async () => {
		expect(await getCustomerProfile(t.db, 'nobody')).toBeNull();
	});

	it('assembles profile, timeline with ticket spans, debt with reasons, and work items', async () => {
		await insertCustomers(t.db, [aCustomer().withId('c9').inSegment('vip').worth(250).build()]);
		const batch = [
			anEvent().withCustomer('c9').withType('purchase').withValue(99).at(ago(72)).build(),
			anEvent()
				.withCustomer('c9')
				.withType('support_opened')
				.withTicket('T9')
				.withChannel('chat')
				.at(ago(48))
				.build(),
			anEvent()
				.withCustomer('c9')
				.withType('support_reply')
				.withTicket('T9', 'agent1')
				.withChannel('chat')
				.at(ago(20))
				.build(),
			anEvent()
				.withCustomer('c9')
				.withType('support_solved')
				.withTicket('T9', 'agent1')
				.withChannel('chat')
				.at(ago(19))
				.build(),
			anEvent().withCustomer('c9').withType('complaint').withAttrs({ text: 'parcel arrived <b>broken</b>' }).at(ago(18)).build(),
			anEvent().withCustomer('c9').withType('complaint').at(ago(17)).build(),
			anEvent().withCustomer('c9').withType('survey_csat').withRating(1).at(ago(16)).build()
		];
		expect(await ingestEvents(t.db, batch, { source: 'test', now: new Date(NOW) })).toMatchObject({
			ok: true
		});
		await saveRule(t.db, { id: 'tol', name: 'Tolerance', definition: { kind: 'tolerance' } });
		const [item] = (await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW })).opened;
		await claimWorkItem(t.db, item.id, { name: 'ann', admin: false });
		expect((await addWorkItemNote(t.db, item.id, { name: 'ann', admin: false }, { note: 'called, left a voicemail' }, NOW)).ok).toBe(true);

		const p = (await getCustomerProfile(t.db, 'c9', NOW))!;
		expect(p.profile).toMatchObject({
			customer_id: 'c9',
			segment: 'vip',
			monthly_value: 250,
			event_count: 7,
			cancelled_at: null
		});
		expect(p.timeline.events.map((e) => e.type)).toEqual(batch.map((e) => e.type));
		// The complaint's own words reach the page (the events list); events without attributes have none.
		expect(p.timeline.events.filter((e) => e.attrs).map((e) => e.attrs)).toEqual([{ text: 'parcel arrived <b>broken</b>' }]);
		expect(p.timeline.tickets).toEqual([
			expect.objectContaining({
				ticket_id: 'T9',
				channel: 'chat',
				solved_at: ago(19).toISOString(),
				first_reply_at: ago(20).toISOString(),
				events: 3
			})
		]);
		expect(p.debt.contributions.map((c) => c.kind).sort()).toEqual([
			'complaint',
			'complaint',
			'csat_low',
			'purchase',
			'slow_first_response'
		]);
		expect(p.debt.current).toBeGreaterThanOrEqual(p.debt.limit);
		expect(p.debt.series.length).toBeGreaterThan(5);
		expect(p.score).toBeNull();
		expect(p.work_items).toEqual([
			expect.objectContaining({ id: item.id, state: 'claimed', assignee: 'ann' })
		]);
		expect(p.work_items[0].transitions.map((x) => x.to)).toEqual(['open', 'claimed']);
		// The API carries the notes the customer page shows.
		expect(p.work_items[0].notes).toEqual([expect.objectContaining({ author: 'ann', note: 'called, left a voicemail', kind: 'note' })]);
	});

	it('says when a customer cancelled, until they buy again', async () => {
		const cancel = anEvent().withCustomer('c7').withType('cancellation').at(ago(10)).build();
		const ok = { ok: true };
		expect(await ingestEvents(t.db, [anEvent().withCustomer('c7').withType('purchase').withValue(5).at(ago(30)).build(), cancel], { source: 'test', now: new Date(NOW) })).toMatchObject(ok);
		expect((await getCustomerProfile(t.db, 'c7', NOW))!.profile.cancelled_at).toBe(ago(10).toISOString());
		await insertCustomers(t.db, [aCustomer().withId('c8').build()]);
		const listed = async (status?: 'active' | 'cancelled') =>
			(await listCustomers(t.db, { status, sort: 'id' })).rows.map((r) => [r.customer_id, r.cancelled_at]);
		expect(await listed('cancelled')).toEqual([['c7', ago(10).toISOString()]]);
		expect(await listed('active')).toEqual([['c8', null]]);
		expect(await listed()).toEqual([
			['c7', ago(10).toISOString()],
			['c8', null]
		]);
		expect((await listCustomers(t.db, { status: 'active' })).total).toBe(1);
		expect(await ingestEvents(t.db, [anEvent().withCustomer('c7').withType('purchase').withValue(5).at(ago(2)).build()], { source: 'test', now: new Date(NOW) })).toMatchObject(ok);
		expect((await getCustomerProfile(t.db, 'c7', NOW))!.profile.cancelled_at).toBeNull();
		expect(await listed('cancelled')).toEqual([]);
	});

	it('lists and searches customers with bound parameters', async () => {
		await insertCustomers(t.db, [
			aCustomer().withId('alpha').build(),
			aCustomer().withId('beta').build(),
			aCustomer().withId('al_x').build()
		]);
		expect((await listCustomers(t.db, { q: 'alp' })).rows.map((r) => r.customer_id)).toEqual(['alpha']);
		expect((await listCustomers(t.db, { q: 'l_' })).rows.map((r) => r.customer_id)).toEqual(['al_x']);
		expect((await listCustomers(t.db, { q: "' OR 1=1 --" })).total).toBe(0);
		expect((await listCustomers(t.db, {})).total).toBe(3);
	});

	it('shows the latest churn score with its reasons and the score history with model versions', async () => {
		await insertCustomers(t.db, [aCustomer().withId('s1').build()]);
		await t.db.run(
			`INSERT INTO scores (customer_id, model_version, probability, risk_band, reasons, scored_at) VALUES ('s1', 'v0002', 0.81, 'high', '[{"label":"3 complaints in 30 days","delta":0.22}]', '2026-02-02 00:00:00')`
		);
		await t.db.run(
			`INSERT INTO score_history VALUES ('s1', 'v0001', 0.35, '2026-01-01 00:00:00'), ('s1', 'v0002', 0.81, '2026-02-02 00:00:00')`
		);
		const p = (await getCustomerProfile(t.db, 's1'))!;
		expect(p.score).toEqual({
			probability: 0.81,
			risk_band: 'high',
			model_version: 'v0002',
			scored_at: '2026-02-02T00:00:00.000Z'
		});
		expect(p.reasons).toEqual([{ label: '3 complaints in 30 days', delta: 0.22 }]);
		expect(p.score_history.map((h) => `${h.model_version}:${h.probability}`)).toEqual([
			'v0001:0.35',
			'v0002:0.81'
		]);
		expect((await listCustomers(t.db, { sort: 'risk' })).rows[0]).toMatchObject({
			customer_id: 's1',
			probability: 0.81
		});
	});

	it('keeps the newest 1,000 scores of a customer scored more often than that, oldest first', async () => {
		await insertCustomers(t.db, [aCustomer().withId('busy').build()]);
		await t.db.run(
			`INSERT INTO score_history SELECT 'busy', 'v0001', i / 2000, TIMESTAMP '2026-01-01' + i * INTERVAL 1 MINUTE FROM range(1200) t(i)`
		);
		const h = (await getCustomerProfile(t.db, 'busy'))!.score_history;
		expect(h).toHaveLength(1000);
		expect(h[0].scored_at).toBe(new Date(Date.UTC(2026, 0, 1) + 200 * 60_000).toISOString());
		expect(h.at(-1)?.scored_at).toBe(new Date(Date.UTC(2026, 0, 1) + 1199 * 60_000).toISOString());
	});

	it('pages through a journey longer than one page, older events by cursor, none skipped or repeated at a shared time', async () => {
		// 2,010 events, ten of them at one instant that falls on the page boundary.
		const n = TIMELINE_LIMIT + 10;
		const batch = Array.from({ length: n }, (_, i) =>
			anEvent()
				.withId(`e-${String(i).padStart(5, '0')}`)
				.withCustomer('long')
				.withType('visit')
				.at(new Date(NOW - 3600_000 * 24 * 30 + (i < 20 ? 0 : i) * 60_000))
				.build()
		);
		expect(await ingestEvents(t.db, batch, { source: 'test', now: new Date(NOW) })).toMatchObject({ ok: true });
		const seen: string[] = [];
		let cursor: TimelineCursor | null = null;
		for (let page = 0; page < 3; page++) {
			const p = await getCustomerProfile(t.db, 'long', NOW, cursor);
			seen.push(...p!.timeline.events.map((e) => e.event_id));
			cursor = p!.timeline.older;
			if (!cursor) break;
			// What the page and the API read back from the URL.
			expect(parseTimelineCursor(new URLSearchParams(cursor as unknown as Record<string, string>))).toEqual({ ok: true, value: cursor });
		}
		expect(cursor).toBeNull();
		expect(seen.length).toBe(n);
		expect(new Set(seen).size).toBe(n);
		expect(parseTimelineCursor(new URLSearchParams('before=yesterday&before_id=x'))).toMatchObject({ ok: false });
		expect(parseTimelineCursor(new URLSearchParams('before_id=x'))).toMatchObject({ ok: false });
	});

	it('gives the list and the page one debt for a customer with no experience counted: 0 pts, not unknown', async () => {
		// A visit counts no experience: the customer exists, with no debt row.
		expect(await ingestEvents(t.db, [anEvent().withCustomer('calm').withType('visit').at(ago(5)).build()], { source: 'test', now: new Date(NOW) })).toMatchObject({ ok: true });
		const page = (await getCustomerProfile(t.db, 'calm', NOW))!;
		const [row] = (await listCustomers(t.db, { q: 'calm' })).rows;
		expect(page.debt.contributions).toEqual([]);
		expect(page.debt.current).toBe(0);
		expect(row).toMatchObject({ customer_id: 'calm', debt: 0, limit: page.debt.limit });
	});

	it('tells a monthly value never given (null) from one given as 0, in the list and on the page', async () => {
		const batch = ['from-event', 'free', 'paying'].map((c) => anEvent().withCustomer(c).withType('visit').at(ago(3)).build());
		expect(await ingestEvents(t.db, batch, { source: 'test', now: new Date(NOW) })).toMatchObject({ ok: true });
		const upserted = await upsertCustomers(t.db, [
			{ customer_id: 'free', monthly_value: 0 },
			{ customer_id: 'paying', monthly_value: 42.5 },
			{ customer_id: 'imported', name: 'No value column' }
		]);
		expect(upserted).toEqual({ ok: true, value: { inserted: 1, updated: 2 } });
		// A later upsert without the value keeps it given.
		expect((await upsertCustomers(t.db, [{ customer_id: 'free', name: 'Free plan' }])).ok).toBe(true);
		const values = async () =>
			Object.fromEntries((await listCustomers(t.db, { sort: 'id' })).rows.map((r) => [r.customer_id, r.monthly_value]));
		expect(await values()).toEqual({ 'from-event': null, free: 0, imported: null, paying: 42.5 });
		for (const [id, v] of Object.entries(await values()))
			expect((await getCustomerProfile(t.db, id, NOW))!.profile.monthly_value, id).toBe(v);
		// Sorted by value, those without one come last.
		expect((await listCustomers(t.db, { sort: 'value' })).rows.map((r) => r.customer_id)).toEqual(['paying', 'free', 'from-event', 'imported']);
	});

	it('sorts by the debt it shows, decayed to now with each segment\'s half-life, not by the stored debt', async () => {
		await insertCustomers(t.db, [
			aCustomer().withId('old').build(),
			aCustomer().withId('fresh').build(),
			aCustomer().withId('fast').inSegment('vip').build(),
			aCustomer().withId('calm').build()
		]);
		expect((await saveToleranceSettings(t.db, 'vip', { ...DEFAULT_TOLERANCE, halfLifeDays: 1 })).ok).toBe(true);
		// Stored order old 60 > fast 40 > fresh 20; decayed: old two half-lives (15), fast three (5), fresh ~20.
		const stored: [string, number, number][] = [['old', 60, 60 * 24], ['fast', 40, 3 * 24], ['fresh', 20, 1]];
		for (const [id, debt, hoursAgo] of stored)
			await t.db.run(`INSERT INTO customer_debt (customer_id, debt, updated_at) VALUES ($1, $2, $3::TIMESTAMP)`, [
				id,
				debt,
				ago(hoursAgo).toISOString()
			]);
		const rows = (await listCustomers(t.db, { sort: 'debt' })).rows;
		expect(rows.map((r) => [r.customer_id, r.debt])).toEqual([
			['fresh', 20],
			['old', 15],
			['fast', 5],
			['calm', 0]
		]);
		const page2 = (await listCustomers(t.db, { sort: 'debt', limit: 2, offset: 1 })).rows;
		expect(page2.map((r) => r.customer_id)).toEqual(['old', 'fast']);
	});
});
