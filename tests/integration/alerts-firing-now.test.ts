// What pages outside /alerts show of the alerts: the list of metric rules firing now (published on the
// stream as `firing` whenever it changes; pages start from the same list in their load) and the counts
// in the navigation.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../src/lib/server/alerts/evaluate';
import { alertCounts, firingListPublisher, firingMetricAlerts } from '../../src/lib/server/alerts/firing-now';
import { setAlertsPublisher, type WorkItemLiveEvent } from '../../src/lib/server/alerts/live-bridge';
import { claimWorkItem, resolveWorkItem, snoozeWorkItem } from '../../src/lib/server/alerts/work-item-actions';
import { addWorkItemNote } from '../../src/lib/server/alerts/work-item-notes';
import { sqlTs } from '../../src/lib/server/alerts/sql-time';
import { deleteRule, saveRule, updateRule } from '../../src/lib/server/alerts/rules';
import type { FiringAlert } from '../../src/lib/shared/firing-alerts';
import { anInterventionCustomer, storeInterventionCustomers } from '../fixtures/interventions';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb;
let frames: FiringAlert[][];
let items: WorkItemLiveEvent[];
const T0 = Date.UTC(2026, 0, 1);
const metricRule = (id: string, metric: string, comparator: '<' | '>', threshold: number) => ({
	id,
	name: `${metric} ${comparator} ${threshold}`,
	enabled: true,
	definition: { kind: 'metric', metric, comparator, threshold, pending_s: 0 }
});

beforeEach(async () => {
	t = await tempDb();
	frames = [];
	items = [];
	setAlertsPublisher({ alert: () => undefined, workitem: (e) => items.push(e), firing: (e) => frames.push(e.alerts) });
});
afterEach(async () => {
	setAlertsPublisher(null);
	await t.cleanup();
});

describe('firing metric alerts', () => {
	it('lists the rules that fire, oldest first, with their current value; the stream gets the list whenever it changes', async () => {
		expect((await saveRule(t.db, metricRule('csat-low', 'csat', '<', 70))).ok).toBe(true);
		expect((await saveRule(t.db, metricRule('nps-low', 'nps', '<', 10))).ok).toBe(true);
		expect((await saveRule(t.db, { id: 'debt', name: 'Debt', enabled: true, definition: { kind: 'tolerance' } })).ok).toBe(true);
		const publish = firingListPublisher(t.db);
		// As the alert loop does: evaluate, then publish.
		const tick = async (values: [string, number][], now: number) => {
			await evaluateAlerts(t.db, new Map(values), { now, customers: true });
			await publish();
		};

		await tick([['csat', 80], ['nps', 40]], T0);
		expect(frames).toEqual([[]]); // the first call publishes, so new connections have a snapshot
		await tick([['csat', 61.5], ['nps', 40]], T0 + 1_000);
		await tick([['csat', 61.5], ['nps', 5]], T0 + 2_000);
		const csat = { rule_id: 'csat-low', name: 'csat < 70', metric: 'csat', value: 61.5, window: '24 h', since: new Date(T0 + 1_000).toISOString() };
		const nps = { rule_id: 'nps-low', name: 'nps < 10', metric: 'nps', value: 5, window: '7 d', since: new Date(T0 + 2_000).toISOString() };
		expect(await firingMetricAlerts(t.db)).toEqual([csat, nps]);
		expect(frames).toEqual([[], [csat], [csat, nps]]);

		await tick([['csat', 61.5], ['nps', 5]], T0 + 3_000);
		expect(frames).toHaveLength(3); // nothing changed, nothing sent
		await tick([['csat', 58], ['nps', 5]], T0 + 4_000);
		expect(frames.at(-1)).toEqual([{ ...csat, value: 58 }, nps]); // the value moved; the start did not

		await tick([['csat', 90], ['nps', 5]], T0 + 5_000);
		expect(await firingMetricAlerts(t.db)).toEqual([nps]);
		expect(frames.at(-1)).toEqual([nps]);
		expect(await alertCounts(t.db)).toEqual({ firing: 1, open_items: 0 });
	});

	it('the navigation counts firing metric rules only: customer rules fire while any customer matches, and their work is the open items', async () => {
		expect((await saveRule(t.db, metricRule('csat-low', 'csat', '<', 70))).ok).toBe(true);
		expect((await saveRule(t.db, { id: 'churn', name: 'Churn', enabled: true, definition: { kind: 'churn', min_probability: 0 } })).ok).toBe(true);
		await evaluateAlerts(t.db, new Map([['csat', 50]]), { now: T0, customers: true });
		// A customer rule firing, as it does while any customer matches (its own evaluation is tested elsewhere).
		await t.db.run(`INSERT OR REPLACE INTO alert_state (rule_id, state, since) VALUES ('churn', 'firing', now())`);
		const states = await t.db.all<{ rule_id: string; state: string }>('SELECT rule_id, state FROM alert_state ORDER BY rule_id');
		expect(states).toEqual([{ rule_id: 'churn', state: 'firing' }, { rule_id: 'csat-low', state: 'firing' }]);
		expect((await alertCounts(t.db)).firing).toBe(1);
	});

	it('a firing rule that is disabled, renamed or deleted changes the list at the next publish', async () => {
		expect((await saveRule(t.db, metricRule('csat-low', 'csat', '<', 70))).ok).toBe(true);
		expect((await saveRule(t.db, metricRule('nps-low', 'nps', '<', 10))).ok).toBe(true);
		const publish = firingListPublisher(t.db);
		await evaluateAlerts(t.db, new Map([['csat', 50], ['nps', 0]]), { now: T0 });
		await publish();
		expect(frames.at(-1)?.map((a) => a.name)).toEqual(['csat < 70', 'nps < 10']);
		expect((await alertCounts(t.db)).firing).toBe(2);

		expect((await updateRule(t.db, 'nps-low', { ...metricRule('nps-low', 'nps', '<', 10), name: 'NPS collapsed' }, 'ann', { now: T0 + 500 })).ok).toBe(true);
		await publish();
		expect(frames.at(-1)?.map((a) => a.name)).toEqual(['csat < 70', 'NPS collapsed']);

		expect((await updateRule(t.db, 'csat-low', { ...metricRule('csat-low', 'csat', '<', 70), enabled: false }, 'ann', { now: T0 + 1_000 })).ok).toBe(true);
		await publish();
		expect(frames.at(-1)?.map((a) => a.rule_id)).toEqual(['nps-low']);
		expect((await alertCounts(t.db)).firing).toBe(1);

		expect(await deleteRule(t.db, 'nps-low', 'ann')).toBe(true);
		await publish();
		expect(frames.at(-1)).toEqual([]);
		expect(await firingMetricAlerts(t.db)).toEqual([]);
		expect((await alertCounts(t.db)).firing).toBe(0);
	});
});

describe('open work items in the navigation count', () => {
	it('counts items nobody has claimed, not claimed, snoozed or resolved ones', async () => {
		const at = new Date(Date.UTC(2026, 0, 1));
		await storeInterventionCustomers(t.db, [
			anInterventionCustomer().worked(at, 'open').worked(at, 'resolved').build(),
			anInterventionCustomer().worked(at, 'open').worked(at, 'claimed').worked(at, 'snoozed').build()
		]);
		expect(await alertCounts(t.db)).toEqual({ firing: 0, open_items: 2 });
	});
});

describe('the open count on the stream', () => {
	it('every workitem event carries the open items after its change, so the navigation count follows it', async () => {
		expect((await saveRule(t.db, { id: 'churn', name: 'Churn', enabled: true, definition: { kind: 'churn', min_probability: 0.7 } })).ok).toBe(true);
		await t.db.write(async (conn) => {
			for (const id of ['a', 'b', 'c']) {
				await conn.run(`INSERT INTO customers (customer_id, monthly_value) VALUES ($1, 100)`, [id]);
				await conn.run(
					`INSERT INTO scores (customer_id, model_version, probability, risk_band, scored_at) VALUES ($1, 'v0001', 0.9, 'high', $2::TIMESTAMP)`,
					[id, sqlTs(T0 - 86_400_000)]
				);
			}
		});
		await evaluateAlerts(t.db, new Map(), { now: T0, customers: true });
		// Opened in one tick: each event carries the count once they all are.
		expect(items.map((e) => [e.status, e.openItems])).toEqual([['open', 3], ['open', 3], ['open', 3]]);
		const [a, b, c] = items.map((e) => e.id);
		const ann = { name: 'ann', admin: false };
		const last = () => items.at(-1)!;
		expect((await claimWorkItem(t.db, a, ann, T0 + 1000)).ok).toBe(true);
		expect(last()).toMatchObject({ id: a, status: 'claimed', openItems: 2 });
		expect((await snoozeWorkItem(t.db, b, ann, { until: new Date(T0 + 3_600_000).toISOString() }, T0 + 2000)).ok).toBe(true);
		expect(last()).toMatchObject({ id: b, status: 'snoozed', openItems: 1 });
		expect((await addWorkItemNote(t.db, c, ann, { note: 'called' }, T0 + 3000)).ok).toBe(true);
		expect(last()).toMatchObject({ id: c, status: 'open', openItems: 1 });
		expect((await resolveWorkItem(t.db, c, ann, { outcome: 'retained' }, T0 + 4000)).ok).toBe(true);
		expect(last()).toMatchObject({ id: c, status: 'resolved', openItems: 0 });
		// The snooze ends: the loop wakes the item back to its holder, still not open.
		await evaluateAlerts(t.db, new Map(), { now: T0 + 3_601_000 });
		expect(last()).toMatchObject({ id: b, status: 'claimed', openItems: 0 });
		expect((await alertCounts(t.db)).open_items).toBe(0);
	});
});
