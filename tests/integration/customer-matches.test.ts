// Customer rules are matched in DuckDB (alerts/customer-matches.ts): every kind's condition, the
// counts, who comes back as a candidate and which open items count as cleared.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCustomerMatches } from '../../src/lib/server/alerts/customer-matches';
import { evaluateAlerts } from '../../src/lib/server/alerts/evaluate';
import { listRules, saveRule } from '../../src/lib/server/alerts/rules';
import { saveToleranceSettings } from '../../src/lib/server/alerts/tolerance-settings';
import { DEFAULT_TOLERANCE } from '../../src/lib/server/alerts/tolerance-defaults';
import { sqlTs } from '../../src/lib/server/alerts/sql-time';
import { ingestEvents } from '../../src/lib/server/ingest/ingest-events';
import { aCustomer } from '../fixtures/alerts';
import { insertCustomers } from '../fixtures/alerts-db';
import { anEvent } from '../fixtures/events';
import { tempDb, type TempDb } from '../helpers/temp-db';

const NOW = Date.UTC(2026, 5, 1, 12);
const DAY = 86_400_000;
let t: TempDb;

beforeEach(async () => {
	t = await tempDb();
	// Rules run in name order.
	for (const rule of [
		{ id: 'tol', name: '1 Tolerance', definition: { kind: 'tolerance' } },
		{ id: 'churn90', name: '2 Very likely', definition: { kind: 'churn', min_probability: 0.9 } },
		{ id: 'churn70', name: '3 Likely', definition: { kind: 'churn', min_probability: 0.7 } },
		{ id: 'silent', name: '4 Silent', definition: { kind: 'silent', min_monthly_value: 200, days: 30 } }
	])
		expect((await saveRule(t.db, rule)).ok).toBe(true);
});
afterEach(async () => t.cleanup());

/** Debt `points` stored `daysAgo` days before NOW. */
async function debts(rows: [string, number, number][]) {
	await t.db.write(async (conn) => {
		for (const [id, points, daysAgo] of rows)
			await conn.run(
				`INSERT INTO customer_debt (customer_id, debt, updated_at) VALUES ($1, $2, $3::TIMESTAMP)`,
				[id, points, sqlTs(NOW - daysAgo * DAY)]
			);
	});
}

async function scores(rows: [string, number, ('low' | 'medium' | 'high')?][]) {
	await t.db.write(async (conn) => {
		for (const [id, p, band] of rows)
			await conn.run(
				`INSERT INTO scores (customer_id, model_version, probability, risk_band, scored_at) VALUES ($1, 'v0001', $2, $3, $4::TIMESTAMP)`,
				[id, p, band ?? 'high', sqlTs(NOW - DAY)]
			);
	});
}

const match = async (now = NOW) => loadCustomerMatches(t.db, await listRules(t.db), now);
const byId = (m: Awaited<ReturnType<typeof match>>) =>
	Object.fromEntries(m.candidates.map((c) => [c.customer_id, c.matches.join(',')]));

describe('customer rules matched in DuckDB', () => {
	it('tolerance: debt decayed to now against the segment limit, a customer limit first', async () => {
		const half = DEFAULT_TOLERANCE.halfLifeDays;
		const lim = DEFAULT_TOLERANCE.limit;
		await insertCustomers(t.db, [
			aCustomer().withId('decayed').build(),
			aCustomer().withId('at-limit').build(),
			aCustomer()
				.withId('own-limit')
				.withTolerance(lim * 4)
				.build(),
			aCustomer().withId('vip').inSegment('vip').build()
		]);
		await saveToleranceSettings(t.db, 'vip', { ...DEFAULT_TOLERANCE, limit: lim * 2 });
		await debts([
			// One half-life ago: twice the limit is now the limit exactly; a bit less has decayed below it.
			['decayed', lim * 2 - 0.01, half],
			['at-limit', lim * 2, half],
			['own-limit', lim * 3, 0],
			['vip', lim * 1.5, 0]
		]);
		const m = await match();
		expect(byId(m)).toEqual({ 'at-limit': 'tol' });
		expect(m.candidates[0].debt).toBeCloseTo(lim, 6);
		expect(m.candidates[0].limit).toBe(lim);
		expect(m.counts.get('tol')).toBe(1);
	});

	it('churn: each rule its own threshold, on the latest score', async () => {
		await insertCustomers(
			t.db,
			['p95', 'p80', 'p50'].map((id) => aCustomer().withId(id).build())
		);
		await scores([
			['p95', 0.95],
			['p80', 0.8],
			['p50', 0.5]
		]);
		const m = await match();
		expect(byId(m)).toEqual({ p95: 'churn90,churn70', p80: 'churn70' });
		expect(m.candidates.find((c) => c.customer_id === 'p80')?.probability).toBe(0.8);
		expect([m.counts.get('churn90'), m.counts.get('churn70'), m.counts.get('tol')]).toEqual([1, 2, 0]);
	});

	it("churn by risk band: the champion's band of the score, a medium minimum admitting high", async () => {
		expect((await saveRule(t.db, { id: 'band-high', name: '5 Band high', definition: { kind: 'churn', min_risk_band: 'high' } })).ok).toBe(true);
		expect((await saveRule(t.db, { id: 'band-med', name: '6 Band medium', definition: { kind: 'churn', min_risk_band: 'medium' } })).ok).toBe(true);
		await insertCustomers(
			t.db,
			['hi', 'med', 'low'].map((id) => aCustomer().withId(id).build())
		);
		// Probabilities far below the fixed rules' 70 % and 90 %: bands are the model's own, relative to its base rate.
		await scores([
			['hi', 0.21, 'high'],
			['med', 0.12, 'medium'],
			['low', 0.04, 'low']
		]);
		const m = await match();
		expect(byId(m)).toEqual({ hi: 'band-high,band-med', med: 'band-med' });
		expect(m.candidates.find((c) => c.customer_id === 'hi')?.probability).toBe(0.21);
		expect([m.counts.get('band-high'), m.counts.get('band-med'), m.counts.get('churn70')]).toEqual([1, 2, 0]);
	});

	it("silent: a customer worth the rule's value and quiet for its days", async () => {
		await insertCustomers(t.db, [
			aCustomer().withId('quiet').worth(500).build(),
			aCustomer().withId('busy').worth(500).build(),
			aCustomer().withId('small').worth(20).build()
		]);
		const at = (id: string, days: number) =>
			anEvent()
				.withCustomer(id)
				.withType('visit')
				.at(new Date(NOW - days * DAY))
				.build();
		expect(
			await ingestEvents(t.db, [at('quiet', 31), at('busy', 29), at('small', 40)], {
				source: 'test',
				now: new Date(NOW)
			})
		).toMatchObject({ ok: true });
		const m = await match();
		expect(byId(m)).toEqual({ quiet: 'silent' });
		expect(m.candidates[0]).toMatchObject({ monthly_value: 500, last_event_at: NOW - 31 * DAY });
	});

	it('customers with an open item count but are no candidates; items whose rule no longer matches are cleared', async () => {
		await insertCustomers(
			t.db,
			['a', 'b', 'c'].map((id) => aCustomer().withId(id).worth(100).build())
		);
		await scores([
			['a', 0.95],
			['b', 0.95]
		]);
		const opened = await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW });
		expect(opened.opened.map((i) => `${i.customer_id}:${i.rule_id}`).sort()).toEqual([
			'a:churn90',
			'b:churn90'
		]);
		await scores([['c', 0.75]]);
		await t.db.run(`UPDATE scores SET probability = 0.8 WHERE customer_id = 'b'`);
		const m = await match(NOW + 1000);
		// b still matches churn70, but its item is churn90's, whose condition has cleared.
		expect(byId(m)).toEqual({ c: 'churn70' });
		expect([m.counts.get('churn90'), m.counts.get('churn70')]).toEqual([1, 3]);
		expect(m.cleared.map((i) => `${i.customer_id}:${i.rule_id}`)).toEqual(['b:churn90']);
	});

	it('a disabled rule is not matched and its open items are not cleared', async () => {
		await insertCustomers(t.db, [aCustomer().withId('a').build()]);
		await scores([['a', 0.95]]);
		await evaluateAlerts(t.db, new Map(), { customers: true, now: NOW });
		await saveRule(t.db, {
			id: 'churn90',
			name: '2 Very likely',
			enabled: false,
			definition: { kind: 'churn', min_probability: 0.9 }
		});
		await t.db.run(`UPDATE scores SET probability = 0.1`);
		const m = await match(NOW + 1000);
		expect(m.counts.has('churn90')).toBe(false);
		expect(m.cleared).toEqual([]);
	});
});
