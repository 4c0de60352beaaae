import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluateAlerts, loadRuleStates } from '../../src/lib/server/alerts/evaluate';
import { setAlertsPublisher, type AlertLiveEvent } from '../../src/lib/server/alerts/live-bridge';
import { listRuleStatuses } from '../../src/lib/server/alerts/rule-status';
import { deleteRule, exportRules, importRules, listRules, saveRule } from '../../src/lib/server/alerts/rules';
import { createSilence } from '../../src/lib/server/alerts/silences';
import type { AlertRule } from '../../src/lib/server/alerts/rule-schema';
import { aMetricRuleDef } from '../fixtures/alerts';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb;
const T0 = Date.UTC(2026, 0, 1);
const csatRule = {
	id: 'csat-low',
	name: 'CSAT below 70 %',
	definition: {
		kind: 'metric',
		metric: 'csat',
		comparator: '<',
		threshold: 70,
		recovery_threshold: 75,
		pending_s: 60
	}
};

beforeEach(async () => (t = await tempDb()));
afterEach(async () => {
	setAlertsPublisher(null);
	await t.cleanup();
});

describe('alert rules', () => {
	it('validates rules, naming the field', async () => {
		const r = await saveRule(t.db, {
			name: '',
			definition: { kind: 'metric', metric: 'CSAT!', comparator: '=~', threshold: 'x' }
		});
		expect(r.ok).toBe(false);
		if (!r.ok)
			expect(r.errors.map((e) => e.field).sort()).toEqual([
				'definition.comparator',
				'definition.metric',
				'definition.threshold',
				'name'
			]);
	});

	it('evaluates a metric rule through pending and firing, records transitions and publishes them', async () => {
		const live: AlertLiveEvent[] = [];
		setAlertsPublisher({ alert: (e) => live.push(e), workitem: () => undefined });
		expect((await saveRule(t.db, csatRule)).ok).toBe(true);
		const tiles = (v: number | null) => new Map([['csat', v]]);
		await evaluateAlerts(t.db, tiles(80), { now: T0 });
		await evaluateAlerts(t.db, tiles(60), { now: T0 + 1000 });
		await evaluateAlerts(t.db, tiles(65), { now: T0 + 61_000 });
		await evaluateAlerts(t.db, tiles(72), { now: T0 + 62_000 });
		expect((await loadRuleStates(t.db)).get('csat-low')?.state).toBe('firing');
		await evaluateAlerts(t.db, tiles(76), { now: T0 + 63_000 });
		await evaluateAlerts(t.db, tiles(null), { now: T0 + 64_000 });
		const rows = await t.db.all<{ from_state: string; to_state: string; value: number | null }>(
			'SELECT from_state, to_state, value FROM alert_transitions ORDER BY changed_at'
		);
		expect(rows.map((r) => `${r.from_state}→${r.to_state}@${r.value}`)).toEqual([
			'normal→pending@60',
			'pending→firing@65',
			'firing→normal@76',
			'normal→nodata@76'
		]);
		expect(live.map((e) => e.state)).toEqual(['pending', 'firing', 'normal', 'nodata']);
	});

	it('lists rules with their condition and value in the metric unit', async () => {
		expect((await saveRule(t.db, csatRule)).ok).toBe(true);
		const frt = {
			kind: 'metric',
			metric: 'frt_median',
			scope: { kind: 'channel', value: 'chat' },
			comparator: '>',
			threshold: 7200
		};
		expect((await saveRule(t.db, { id: 'frt-slow', name: 'Slow chat', definition: frt })).ok).toBe(true);
		const silent = { kind: 'silent', min_monthly_value: 1500, days: 30 };
		expect((await saveRule(t.db, { id: 'silent', name: 'Silent', definition: silent })).ok).toBe(true);
		await evaluateAlerts(t.db, new Map([['csat', 72.5]]), { now: T0 });
		const byId = new Map((await listRuleStatuses(t.db)).map((r) => [r.id, r]));
		expect(byId.get('csat-low')).toMatchObject({ summary: 'CSAT < 70 %', value: 72.5, value_text: '72.5 %' });
		expect(byId.get('frt-slow')?.summary).toBe('First response (median) (channel chat) > 2 h');
		expect(byId.get('silent')?.summary).toBe('customer worth ≥ £1,500/month silent for 30 days');
	});

	it('a silenced rule changes state without notifying', async () => {
		await saveRule(t.db, { ...csatRule, definition: { ...csatRule.definition, pending_s: 0 } });
		await createSilence(
			t.db,
			{ matcher: { metric: 'csat' }, ends_at: new Date(T0 + 3600_000).toISOString() },
			'ann',
			T0
		);
		const r = await evaluateAlerts(t.db, new Map([['csat', 10]]), { now: T0 + 1000 });
		expect(r.transitions.map((x) => x.to)).toEqual(['firing']);
		expect(r.notifications).toEqual([]);
	});

	it('refuses a silence that would already be over', async () => {
		const past = { matcher: { metric: 'csat' }, ends_at: new Date(T0 - 1000).toISOString() };
		expect(await createSilence(t.db, past, 'ann', T0)).toEqual({
			ok: false,
			errors: [{ field: 'ends_at', message: 'ends_at must be in the future' }]
		});
		const bothPast = { ...past, starts_at: new Date(T0 - 3600_000).toISOString() };
		expect((await createSilence(t.db, bothPast, 'ann', T0)).ok).toBe(false);
		expect(await t.db.one<{ n: number }>('SELECT count(*) AS n FROM silences')).toEqual({ n: 0 });
	});

	it('exports and imports rules as JSON; an invalid import stores nothing', async () => {
		await saveRule(t.db, csatRule);
		await saveRule(t.db, {
			id: 'churny',
			name: 'Likely to churn',
			definition: { kind: 'churn', min_probability: 0.7 }
		});
		const exported = JSON.parse(JSON.stringify(await exportRules(t.db)));
		expect(await deleteRule(t.db, 'csat-low')).toBe(true);
		expect(await deleteRule(t.db, 'churny')).toBe(true);
		const bad = await importRules(t.db, {
			...exported,
			rules: [...exported.rules, { name: 'x', definition: { kind: 'nope' } }]
		});
		expect(bad).toMatchObject({ ok: false, errors: [{ field: expect.stringMatching(/^rules\.2\./) }] });
		expect(await listRules(t.db)).toEqual([]);
		expect(await importRules(t.db, exported)).toEqual({ ok: true, value: { imported: 2 } });
		expect(await exportRules(t.db)).toEqual(exported);
	});
});

describe('rule preview', () => {
	it('replays the last 24 h of a metric and counts firings', async () => {
		const { ingestEvents } = await import('../../src/lib/server/ingest/ingest-events');
		const { anEvent } = await import('../fixtures/events');
		const { previewMetricRule } = await import('../../src/lib/server/alerts/rule-preview');
		const now = Date.UTC(2026, 2, 1, 12);
		// Bad CSAT only in hours 6–8 before now: CSAT over its 24 h window drops below 50 % from then on.
		const batch = [
			...Array.from({ length: 6 }, (_, i) =>
				anEvent()
					.withCustomer(`g${i}`)
					.withType('survey_csat')
					.withRating(5)
					.at(new Date(now - 30 * 3600_000))
					.build()
			),
			...Array.from({ length: 8 }, (_, i) =>
				anEvent()
					.withCustomer(`b${i}`)
					.withType('survey_csat')
					.withRating(1)
					.at(new Date(now - 7 * 3600_000))
					.build()
			)
		];
		expect(await ingestEvents(t.db, batch, { source: 'test', now: new Date(now) })).toMatchObject({
			ok: true
		});
		const r = await previewMetricRule(
			t.db,
			{ kind: 'metric', metric: 'csat', comparator: '<', threshold: 50 },
			{ now, steps: 24 }
		);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.value.fired).toBe(1);
		expect(r.value.samples.at(-1)).toMatchObject({ state: 'firing', value: 0 });
		const bad = await previewMetricRule(t.db, {
			kind: 'metric',
			metric: 'nope',
			comparator: '<',
			threshold: 1
		});
		expect(bad).toMatchObject({ ok: false, errors: [{ field: 'definition.metric' }] });
	});
});

describe('rule preview with a minimum sample', () => {
	it('counts checks with too few ratings as no data and says why; at the minimum it fires as before', async () => {
		const { ingestEvents } = await import('../../src/lib/server/ingest/ingest-events');
		const { anEvent } = await import('../fixtures/events');
		const { previewMetricRule } = await import('../../src/lib/server/alerts/rule-preview');
		const now = Date.UTC(2026, 2, 1, 12);
		// Eight bad ratings 7 h ago: CSAT 0 % over its 24 h window, resting on 8 ratings.
		const batch = Array.from({ length: 8 }, (_, i) =>
			anEvent().withCustomer(`b${i}`).withType('survey_csat').withRating(1).at(new Date(now - 7 * 3600_000)).build()
		);
		expect(await ingestEvents(t.db, batch, { source: 'test', now: new Date(now) })).toMatchObject({ ok: true });
		const preview = async (min_sample: number) => {
			const r = await previewMetricRule(t.db, { kind: 'metric', metric: 'csat', comparator: '<', threshold: 50, min_sample }, { now, steps: 24 });
			if (!r.ok) throw new Error(JSON.stringify(r.errors));
			return r.value;
		};
		const tooFew = await preview(10);
		expect(tooFew.fired).toBe(0);
		// Checks from 7 h ago on (hourly: 8 of 25) see the ratings; before, no ratings at all is plain no data.
		expect(tooFew.tooFew).toBe(8);
		expect(tooFew.tooFewNote).toBe('too few to judge (8 CSAT ratings; 10 needed)');
		expect(tooFew.samples.at(-1)).toMatchObject({ state: 'nodata', value: 0, note: 'too few to judge (8 CSAT ratings; 10 needed)' });
		const enough = await preview(8);
		expect(enough).toMatchObject({ fired: 1, tooFew: 0, tooFewNote: null });
		expect(enough.samples.at(-1)).toMatchObject({ state: 'firing', value: 0, note: null });
	});
});

describe('rule tiles', () => {
	it('computes each metric rule value for its scope from the rollups', async () => {
		const { ingestEvents } = await import('../../src/lib/server/ingest/ingest-events');
		const { anEvent } = await import('../fixtures/events');
		const { computeRuleTiles } = await import('../../src/lib/server/alerts/rule-tiles');
		const now = Date.UTC(2026, 2, 1, 12);
		const at = new Date(now - 3600_000);
		const batch = [
			anEvent().withCustomer('a').withType('survey_csat').withRating(1).withChannel('chat').at(at).build(),
			anEvent().withCustomer('b').withType('survey_csat').withRating(5).withChannel('chat').at(at).build(),
			anEvent().withCustomer('c').withType('survey_csat').withRating(5).withChannel('web').at(at).build(),
			anEvent().withCustomer('d').withType('survey_csat').withRating(5).withChannel('web').at(at).build()
		];
		expect(await ingestEvents(t.db, batch, { source: 'test', now: new Date(now) })).toMatchObject({
			ok: true
		});
		const rules: AlertRule[] = [
			{ id: 'all', name: 'all', enabled: true, definition: aMetricRuleDef() },
			{
				id: 'chat',
				name: 'chat',
				enabled: true,
				definition: aMetricRuleDef({ scope: { kind: 'channel', value: 'chat' } })
			}
		];
		const tiles = await computeRuleTiles(t.db, rules, new Date(now));
		expect(tiles.values.get('csat')).toBeCloseTo(75, 6);
		expect(tiles.values.get('csat|channel:chat')).toBeCloseTo(50, 6);
		// The CSAT ratings each value rests on, for rules with a min_sample.
		expect(Object.fromEntries(tiles.samples)).toEqual({ csat: 4, 'csat|channel:chat': 2 });
	});
});
