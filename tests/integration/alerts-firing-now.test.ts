// What pages outside /alerts show of the alerts: the Overview's list of firing metric rules (from the
// database at load, then kept current by the stream's `alert` frames) and the counts in the navigation.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../src/lib/server/alerts/evaluate';
import { alertCounts, firingMetricAlerts } from '../../src/lib/server/alerts/firing-now';
import { setAlertsPublisher, type AlertLiveEvent } from '../../src/lib/server/alerts/live-bridge';
import { saveRule, updateRule } from '../../src/lib/server/alerts/rules';
import { applyAlertFrame, type FiringAlert } from '../../src/lib/shared/firing-alerts';
import { anInterventionCustomer, storeInterventionCustomers } from '../fixtures/interventions';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb;
let live: AlertLiveEvent[];
const T0 = Date.UTC(2026, 0, 1);
const metricRule = (id: string, metric: string, comparator: '<' | '>', threshold: number) => ({
	id,
	name: `${metric} ${comparator} ${threshold}`,
	enabled: true,
	definition: { kind: 'metric', metric, comparator, threshold, pending_s: 0 }
});

beforeEach(async () => {
	t = await tempDb();
	live = [];
	setAlertsPublisher({ alert: (e) => live.push(e), workitem: () => undefined });
});
afterEach(async () => {
	setAlertsPublisher(null);
	await t.cleanup();
});

/** The browser's list after every frame so far, from an empty page. */
const fromFrames = () => live.reduce<FiringAlert[]>((list, f) => applyAlertFrame(list, f), []);

describe('firing metric alerts', () => {
	it('lists the rules that fire, oldest first, with their value, and the stream frames lead to the same list', async () => {
		expect((await saveRule(t.db, metricRule('csat-low', 'csat', '<', 70))).ok).toBe(true);
		expect((await saveRule(t.db, metricRule('nps-low', 'nps', '<', 10))).ok).toBe(true);
		expect(await firingMetricAlerts(t.db)).toEqual([]);

		await evaluateAlerts(t.db, new Map([['csat', 61.5], ['nps', 40]]), { now: T0 });
		await evaluateAlerts(t.db, new Map([['csat', 61.5], ['nps', 5]]), { now: T0 + 60_000 });
		const firing = await firingMetricAlerts(t.db);
		expect(firing).toEqual([
			{ rule_id: 'csat-low', name: 'csat < 70', metric: 'csat', value: 61.5, since: new Date(T0).toISOString() },
			{ rule_id: 'nps-low', name: 'nps < 10', metric: 'nps', value: 5, since: new Date(T0 + 60_000).toISOString() }
		]);
		expect(fromFrames()).toEqual(firing);
		expect(await alertCounts(t.db)).toEqual({ firing: 2, open_items: 0 });

		// CSAT recovers; the rule leaves the list (whatever state it passes through on the way).
		await evaluateAlerts(t.db, new Map([['csat', 90], ['nps', 5]]), { now: T0 + 120_000 });
		await evaluateAlerts(t.db, new Map([['csat', 90], ['nps', 5]]), { now: T0 + 600_000 });
		const after = await firingMetricAlerts(t.db);
		expect(after.map((a) => a.rule_id)).toEqual(['nps-low']);
		expect(fromFrames()).toEqual([{ ...after[0], value: 5 }]);
		expect((await alertCounts(t.db)).firing).toBe(1);
	});

	it('a firing rule that is disabled leaves the list and the count', async () => {
		expect((await saveRule(t.db, metricRule('csat-low', 'csat', '<', 70))).ok).toBe(true);
		await evaluateAlerts(t.db, new Map([['csat', 50]]), { now: T0 });
		expect((await alertCounts(t.db)).firing).toBe(1);
		expect((await updateRule(t.db, 'csat-low', { ...metricRule('csat-low', 'csat', '<', 70), enabled: false }, 'ann', { now: T0 + 1_000 })).ok).toBe(true);
		expect(await firingMetricAlerts(t.db)).toEqual([]);
		expect(fromFrames()).toEqual([]);
		expect((await alertCounts(t.db)).firing).toBe(0);
	});

	it('a frame for a customer rule or a rule already listed does not add a second entry or move its start', () => {
		const frame = (over: Partial<AlertLiveEvent>): AlertLiveEvent => ({
			ruleId: 'csat-low',
			name: 'CSAT low',
			state: 'firing',
			previousState: 'pending',
			metric: 'csat',
			customerId: null,
			value: 60,
			at: '2026-01-01T00:05:00.000Z',
			...over
		});
		const start = applyAlertFrame([], frame({}));
		const again = applyAlertFrame(start, frame({ at: '2026-01-01T00:09:00.000Z', value: 55 }));
		expect(again).toEqual([{ rule_id: 'csat-low', name: 'CSAT low', metric: 'csat', value: 55, since: '2026-01-01T00:05:00.000Z' }]);
		expect(applyAlertFrame(again, frame({ ruleId: 'tolerance', metric: null, name: 'Tolerance crossed' }))).toEqual(again);
		expect(applyAlertFrame(again, frame({ state: 'recovering', previousState: 'firing' }))).toEqual([]);
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
