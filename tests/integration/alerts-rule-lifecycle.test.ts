// What happens to a rule's state when the rule is edited, disabled or deleted (Grafana's model: an
// edit keeps the state and the next evaluation decides; a rule that stops being evaluated ends at
// normal through a recorded transition and a resolved notification), and the value the rule list
// shows for customer rules between their runs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluateAlerts, latestRuleValues, loadRuleStates } from '../../src/lib/server/alerts/evaluate';
import { setAlertsPublisher, type AlertLiveEvent } from '../../src/lib/server/alerts/live-bridge';
import { listRuleStatuses } from '../../src/lib/server/alerts/rule-status';
import { deleteRule, importRules, saveRule, updateRule } from '../../src/lib/server/alerts/rules';
import { createSilence, endSilence } from '../../src/lib/server/alerts/silences';
import { sqlTs } from '../../src/lib/server/alerts/sql-time';
import { createDestination } from '../../src/lib/server/alerts/webhooks';
import { overrideConfig } from '../../src/lib/server/config';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb;
let live: AlertLiveEvent[];
const T0 = Date.UTC(2026, 0, 1);
const csat = (over: Record<string, unknown> = {}, enabled = true) => ({
	id: 'csat-low',
	name: 'CSAT low',
	enabled,
	definition: { kind: 'metric', metric: 'csat', comparator: '<', threshold: 70, pending_s: 60, ...over }
});
const tiles = (v: number | null) => new Map([['csat', v]]);

beforeEach(async () => {
	// Deliveries are only queued here, never sent; a loopback destination is fine.
	overrideConfig({ webhookAllowPrivate: true });
	t = await tempDb();
	live = [];
	setAlertsPublisher({ alert: (e) => live.push(e), workitem: () => undefined });
	expect((await createDestination(t.db, { name: 'chat', url: 'http://127.0.0.1:9/hook', template: '[{{state}}] {{rule}}' })).ok).toBe(true);
});
afterEach(async () => {
	setAlertsPublisher(null);
	overrideConfig({ webhookAllowPrivate: false });
	await t.cleanup();
});

async function transitions(ruleId = 'csat-low') {
	const rows = await t.db.all<{ from_state: string; to_state: string; reason: string }>(
		'SELECT from_state, to_state, reason FROM alert_transitions WHERE rule_id = $1 ORDER BY changed_at',
		[ruleId]
	);
	return rows.map((r) => `${r.from_state}→${r.to_state}`);
}
async function sent(): Promise<string[]> {
	const rows = await t.db.all<{ text: string }>(
		`SELECT json_extract_string(payload, '$.text') AS text FROM webhook_deliveries ORDER BY created_at, text`
	);
	return rows.map((r) => r.text);
}
/** Saves the CSAT rule and drives it to firing (pending 60 s). */
async function firing() {
	expect((await saveRule(t.db, csat())).ok).toBe(true);
	await evaluateAlerts(t.db, tiles(60), { now: T0 });
	await evaluateAlerts(t.db, tiles(60), { now: T0 + 60_000 });
	expect((await loadRuleStates(t.db)).get('csat-low')).toMatchObject({ state: 'firing', since: T0 + 60_000 });
	expect(await sent()).toEqual(['[firing] CSAT low']);
}

describe('notification texts', () => {
	it('carry the value and threshold with the metric unit ({{value_text}}, {{threshold_text}})', async () => {
		await firing();
		const rows = await t.db.all<{ value_text: string; threshold_text: string }>(
			`SELECT json_extract_string(payload, '$.cx.value_text') AS value_text, json_extract_string(payload, '$.cx.threshold_text') AS threshold_text FROM webhook_deliveries`
		);
		expect(rows).toEqual([{ value_text: '60 %', threshold_text: '70 %' }]);
	});
});

describe('editing a firing rule', () => {
	it('that still fires keeps its state and since: no second pending, no second [firing]', async () => {
		await firing();
		const r = await updateRule(t.db, 'csat-low', { ...csat({ threshold: 65 }), name: 'CSAT low (edited)' }, 'ann', { now: T0 + 70_000 });
		expect(r.ok).toBe(true);
		expect((await loadRuleStates(t.db)).get('csat-low')).toMatchObject({ state: 'firing', since: T0 + 60_000 });
		const status = (await listRuleStatuses(t.db)).find((x) => x.id === 'csat-low');
		expect(status).toMatchObject({ state: 'firing', since: new Date(T0 + 60_000).toISOString() });
		await evaluateAlerts(t.db, tiles(60), { now: T0 + 71_000 });
		await evaluateAlerts(t.db, tiles(60), { now: T0 + 200_000 });
		expect(await transitions()).toEqual(['normal→pending', 'pending→firing']);
		expect(await sent()).toEqual(['[firing] CSAT low']);
	});

	it('that no longer fires goes to normal at the next evaluation, recorded and notified', async () => {
		await firing();
		expect((await updateRule(t.db, 'csat-low', csat({ threshold: 50 }), 'ann', { now: T0 + 70_000 })).ok).toBe(true);
		expect((await loadRuleStates(t.db)).get('csat-low')?.state).toBe('firing');
		await evaluateAlerts(t.db, tiles(60), { now: T0 + 71_000 });
		expect((await loadRuleStates(t.db)).get('csat-low')?.state).toBe('normal');
		expect(await transitions()).toEqual(['normal→pending', 'pending→firing', 'firing→normal']);
		expect(await sent()).toEqual(['[firing] CSAT low', '[normal] CSAT low']);
	});
});

describe('disabling or deleting a rule that is not normal', () => {
	it('disabling a firing rule records firing → normal, publishes it and queues the resolved notification', async () => {
		await firing();
		live.length = 0;
		expect((await updateRule(t.db, 'csat-low', csat({}, false), 'ann', { now: T0 + 70_000 })).ok).toBe(true);
		expect(await transitions()).toEqual(['normal→pending', 'pending→firing', 'firing→normal']);
		const last = await t.db.one<{ reason: string; changed_at: Date }>(
			`SELECT reason, changed_at FROM alert_transitions WHERE rule_id = 'csat-low' ORDER BY changed_at DESC LIMIT 1`
		);
		expect(last?.reason).toBe('rule disabled by ann');
		expect(last?.changed_at.getTime()).toBe(T0 + 70_000);
		expect(live.map((e) => `${e.previousState}→${e.state}`)).toEqual(['firing→normal']);
		expect(await sent()).toEqual(['[firing] CSAT low', '[normal] CSAT low']);
		// The state goes; evaluation leaves a disabled rule alone.
		expect((await loadRuleStates(t.db)).has('csat-low')).toBe(false);
		await evaluateAlerts(t.db, tiles(60), { now: T0 + 71_000 });
		expect((await loadRuleStates(t.db)).has('csat-low')).toBe(false);
		expect(await sent()).toHaveLength(2);
		// Enabled again it starts over at normal, through pending.
		expect((await updateRule(t.db, 'csat-low', csat(), 'ann', { now: T0 + 80_000 })).ok).toBe(true);
		await evaluateAlerts(t.db, tiles(60), { now: T0 + 81_000 });
		expect((await loadRuleStates(t.db)).get('csat-low')?.state).toBe('pending');
	});

	it('deleting a firing rule records firing → normal and queues the resolved notification before the state goes', async () => {
		await firing();
		expect(await deleteRule(t.db, 'csat-low', 'bob', { now: T0 + 70_000 })).toBe(true);
		expect(await transitions()).toEqual(['normal→pending', 'pending→firing', 'firing→normal']);
		expect(await sent()).toEqual(['[firing] CSAT low', '[normal] CSAT low']);
		expect((await loadRuleStates(t.db)).has('csat-low')).toBe(false);
		const reason = await t.db.one<{ reason: string }>(`SELECT reason FROM alert_transitions ORDER BY changed_at DESC LIMIT 1`);
		expect(reason?.reason).toBe('rule deleted by bob');
	});

	it('a pending rule records pending → normal but sends nothing (it never notified firing)', async () => {
		expect((await saveRule(t.db, csat())).ok).toBe(true);
		await evaluateAlerts(t.db, tiles(60), { now: T0 });
		expect(await deleteRule(t.db, 'csat-low', 'bob', { now: T0 + 10_000 })).toBe(true);
		expect(await transitions()).toEqual(['normal→pending', 'pending→normal']);
		expect(await sent()).toEqual([]);
	});

	it('a recovering rule ends with one resolved notification', async () => {
		expect((await saveRule(t.db, csat({ pending_s: 0, keep_firing_s: 300 }))).ok).toBe(true);
		await evaluateAlerts(t.db, tiles(60), { now: T0 });
		await evaluateAlerts(t.db, tiles(80), { now: T0 + 1000 });
		expect((await loadRuleStates(t.db)).get('csat-low')?.state).toBe('recovering');
		expect((await updateRule(t.db, 'csat-low', csat({ pending_s: 0, keep_firing_s: 300 }, false), 'ann', { now: T0 + 2000 })).ok).toBe(true);
		expect(await transitions()).toEqual(['normal→firing', 'firing→recovering', 'recovering→normal']);
		expect(await sent()).toEqual(['[firing] CSAT low', '[normal] CSAT low']);
	});

	it('a silenced rule whose [firing] was sent still sends its resolved: nothing would evaluate it after the silence', async () => {
		await firing();
		await createSilence(t.db, { matcher: { rule_id: 'csat-low' }, ends_at: new Date(T0 + 3600_000).toISOString() }, 'ann', T0 + 65_000);
		expect(await deleteRule(t.db, 'csat-low', 'bob', { now: T0 + 70_000 })).toBe(true);
		expect(await transitions()).toEqual(['normal→pending', 'pending→firing', 'firing→normal']);
		expect(await sent()).toEqual(['[firing] CSAT low', '[normal] CSAT low']);
	});

	it('a disabled rule that was normal, and one never evaluated, record nothing', async () => {
		expect((await saveRule(t.db, csat())).ok).toBe(true);
		await evaluateAlerts(t.db, tiles(80), { now: T0 });
		expect((await updateRule(t.db, 'csat-low', csat({}, false), 'ann', { now: T0 + 1000 })).ok).toBe(true);
		expect(await deleteRule(t.db, 'csat-low', 'ann', { now: T0 + 2000 })).toBe(true);
		expect(await transitions()).toEqual([]);
		expect(await sent()).toEqual([]);
	});

	it('an import that disables a firing rule ends it the same way', async () => {
		await firing();
		const r = await importRules(t.db, { version: 1, rules: [csat({}, false)] }, 'ann', { now: T0 + 70_000 });
		expect(r).toEqual({ ok: true, value: { imported: 1 } });
		expect(await transitions()).toEqual(['normal→pending', 'pending→firing', 'firing→normal']);
		expect(await sent()).toEqual(['[firing] CSAT low', '[normal] CSAT low']);
	});

	it('a customer rule firing when disabled ends at normal with its resolved notification', async () => {
		expect((await saveRule(t.db, { id: 'churn', name: 'Churn', definition: { kind: 'churn', min_probability: 0.7 } })).ok).toBe(true);
		await scores(['a', 'b']);
		await evaluateAlerts(t.db, new Map(), { now: T0, customers: true });
		expect((await loadRuleStates(t.db)).get('churn')?.state).toBe('firing');
		expect((await updateRule(t.db, 'churn', { name: 'Churn', enabled: false, definition: { kind: 'churn', min_probability: 0.7 } }, 'ann', { now: T0 + 1000 })).ok).toBe(true);
		expect(await transitions('churn')).toEqual(['normal→firing', 'firing→normal']);
		expect(await sent()).toEqual(['[firing] Churn', '[normal] Churn']);
	});
});

async function scores(ids: string[], at = T0 - 86_400_000) {
	await t.db.write(async (conn) => {
		for (const id of ids) {
			await conn.run(`INSERT INTO customers (customer_id, monthly_value) VALUES ($1, 100) ON CONFLICT DO NOTHING`, [id]);
			await conn.run(
				`INSERT INTO scores (customer_id, model_version, probability, risk_band, scored_at) VALUES ($1, 'v0001', 0.9, 'high', $2::TIMESTAMP)`,
				[id, sqlTs(at)]
			);
		}
	});
}

describe('a rule that starts firing while silenced (Alertmanager: [firing] once the silence is over)', () => {
	async function silencedFiring(endsAt = T0 + 3600_000): Promise<string> {
		expect((await saveRule(t.db, csat({ pending_s: 0 }))).ok).toBe(true);
		const s = await createSilence(t.db, { matcher: { rule_id: 'csat-low' }, ends_at: new Date(endsAt).toISOString() }, 'ann', T0);
		if (!s.ok) throw new Error(JSON.stringify(s.errors));
		await evaluateAlerts(t.db, tiles(60), { now: T0 + 1000 });
		await evaluateAlerts(t.db, tiles(61), { now: T0 + 2000 });
		// Stored, so a restart between here and the silence's end still owes the [firing].
		expect((await loadRuleStates(t.db)).get('csat-low')).toMatchObject({ state: 'firing', unnotified: true });
		expect(await sent()).toEqual([]);
		return s.value.id;
	}

	it('ended early while the rule fires: the next tick sends [firing] once, and its recovery the resolved', async () => {
		const id = await silencedFiring();
		expect(await endSilence(t.db, id, T0 + 3000, 'ann')).toBe(true);
		await evaluateAlerts(t.db, tiles(62), { now: T0 + 4000 });
		expect(await sent()).toEqual(['[firing] CSAT low']);
		expect((await loadRuleStates(t.db)).get('csat-low')).toMatchObject({ state: 'firing', since: T0 + 1000, unnotified: false });
		await evaluateAlerts(t.db, tiles(63), { now: T0 + 5000 });
		expect(await sent()).toEqual(['[firing] CSAT low']);
		await evaluateAlerts(t.db, tiles(90), { now: T0 + 6000 });
		expect(await sent()).toEqual(['[firing] CSAT low', '[normal] CSAT low']);
		// The notice is not a state change: the history holds the real transitions only.
		expect(await transitions()).toEqual(['normal→firing', 'firing→normal']);
	});

	it('expiring while the rule fires sends [firing] at the first tick after the end', async () => {
		await silencedFiring(T0 + 10_000);
		await evaluateAlerts(t.db, tiles(60), { now: T0 + 9000 });
		expect(await sent()).toEqual([]);
		await evaluateAlerts(t.db, tiles(60), { now: T0 + 10_000 });
		expect(await sent()).toEqual(['[firing] CSAT low']);
	});

	it('recovering while still silenced sends neither [firing] nor resolved, then or after the silence', async () => {
		const id = await silencedFiring();
		await evaluateAlerts(t.db, tiles(90), { now: T0 + 3000 });
		expect(await endSilence(t.db, id, T0 + 4000, 'ann')).toBe(true);
		await evaluateAlerts(t.db, tiles(90), { now: T0 + 5000 });
		expect(await transitions()).toEqual(['normal→firing', 'firing→normal']);
		expect(await sent()).toEqual([]);
	});

	it('deleted while its firing was never notified (silence over, no tick yet): no resolved', async () => {
		const id = await silencedFiring();
		expect(await endSilence(t.db, id, T0 + 3000, 'ann')).toBe(true);
		expect(await deleteRule(t.db, 'csat-low', 'bob', { now: T0 + 3500 })).toBe(true);
		expect(await transitions()).toEqual(['normal→firing', 'firing→normal']);
		expect(await sent()).toEqual([]);
	});

	it('disabled while silenced and firing: no resolved', async () => {
		await silencedFiring();
		expect((await updateRule(t.db, 'csat-low', csat({ pending_s: 0 }, false), 'ann', { now: T0 + 3000 })).ok).toBe(true);
		expect(await sent()).toEqual([]);
	});
});

describe('a notified firing that ends while silenced (its resolved is sent once the silence is over)', () => {
	/** [firing] sent, then a silence, then the rule clears under it. */
	async function endedWhileSilenced(endsAt = T0 + 3600_000): Promise<string> {
		await firing();
		const s = await createSilence(t.db, { matcher: { rule_id: 'csat-low' }, ends_at: new Date(endsAt).toISOString() }, 'ann', T0 + 61_000);
		if (!s.ok) throw new Error(JSON.stringify(s.errors));
		await evaluateAlerts(t.db, tiles(90), { now: T0 + 62_000 });
		await evaluateAlerts(t.db, tiles(91), { now: T0 + 63_000 });
		expect((await loadRuleStates(t.db)).get('csat-low')).toMatchObject({ state: 'normal', unnotified: true });
		expect(await sent()).toEqual(['[firing] CSAT low']);
		return s.value.id;
	}
	async function reasons(): Promise<string[]> {
		const rows = await t.db.all<{ reason: string }>(
			`SELECT json_extract_string(payload, '$.cx.reason') AS reason FROM webhook_deliveries ORDER BY created_at`
		);
		return rows.map((r) => r.reason);
	}

	it('ended early: the next tick sends the resolved once, also after a restart in between', async () => {
		const id = await endedWhileSilenced();
		await shutdownDb(t.path);
		t.db = await getDb(t.path);
		expect((await loadRuleStates(t.db)).get('csat-low')).toMatchObject({ state: 'normal', unnotified: true });
		expect(await endSilence(t.db, id, T0 + 64_000, 'ann')).toBe(true);
		await evaluateAlerts(t.db, tiles(92), { now: T0 + 65_000 });
		expect(await sent()).toEqual(['[firing] CSAT low', '[normal] CSAT low']);
		expect(await reasons()).toEqual(['condition held for 60 s', 'silence ended']);
		expect((await loadRuleStates(t.db)).get('csat-low')).toMatchObject({ state: 'normal', since: T0 + 62_000, unnotified: false });
		await evaluateAlerts(t.db, tiles(93), { now: T0 + 66_000 });
		expect(await sent()).toHaveLength(2);
		// The notice is not a state change: the history holds the real transitions only.
		expect(await transitions()).toEqual(['normal→pending', 'pending→firing', 'firing→normal']);
	});

	it('expiring: sent at the first tick after its end', async () => {
		await endedWhileSilenced(T0 + 70_000);
		await evaluateAlerts(t.db, tiles(90), { now: T0 + 69_000 });
		expect(await sent()).toEqual(['[firing] CSAT low']);
		await evaluateAlerts(t.db, tiles(90), { now: T0 + 70_000 });
		expect(await sent()).toEqual(['[firing] CSAT low', '[normal] CSAT low']);
	});

	it('firing again (through pending) before the silence ends: nothing owed, no second [firing]; its end is sent', async () => {
		const id = await endedWhileSilenced();
		await evaluateAlerts(t.db, tiles(60), { now: T0 + 70_000 });
		await evaluateAlerts(t.db, tiles(60), { now: T0 + 130_000 });
		expect((await loadRuleStates(t.db)).get('csat-low')).toMatchObject({ state: 'firing', unnotified: false });
		expect(await endSilence(t.db, id, T0 + 131_000, 'ann')).toBe(true);
		await evaluateAlerts(t.db, tiles(60), { now: T0 + 132_000 });
		expect(await sent()).toEqual(['[firing] CSAT low']);
		await evaluateAlerts(t.db, tiles(90), { now: T0 + 133_000 });
		expect(await sent()).toEqual(['[firing] CSAT low', '[normal] CSAT low']);
		expect(await reasons()).toEqual(['condition held for 60 s', 'condition cleared']);
	});

	it('deleted with the resolved owed: sent at once, with the deletion as its reason', async () => {
		await endedWhileSilenced();
		expect(await deleteRule(t.db, 'csat-low', 'bob', { now: T0 + 64_000 })).toBe(true);
		expect(await sent()).toEqual(['[firing] CSAT low', '[normal] CSAT low']);
		expect(await reasons()).toEqual(['condition held for 60 s', 'rule deleted by bob']);
		expect(await transitions()).toEqual(['normal→pending', 'pending→firing', 'firing→normal']);
	});

	it('a customer rule does the same', async () => {
		const churn = { id: 'churn', name: 'Churn', definition: { kind: 'churn', min_probability: 0.7 } };
		expect((await saveRule(t.db, churn)).ok).toBe(true);
		await scores(['a']);
		await evaluateAlerts(t.db, new Map(), { now: T0, customers: true });
		const s = await createSilence(t.db, { matcher: { kind: 'churn' }, ends_at: new Date(T0 + 3600_000).toISOString() }, 'ann', T0 + 1000);
		if (!s.ok) throw new Error('silence');
		await t.db.write((conn) => conn.run(`DELETE FROM scores`).then(() => undefined));
		await evaluateAlerts(t.db, new Map(), { now: T0 + 2000, customers: true });
		expect((await loadRuleStates(t.db)).get('churn')).toMatchObject({ state: 'normal', unnotified: true });
		expect(await sent()).toEqual(['[firing] Churn']);
		expect(await endSilence(t.db, s.value.id, T0 + 3000, 'ann')).toBe(true);
		// A metric-only tick does not evaluate customer rules; their next run pays what is owed.
		await evaluateAlerts(t.db, new Map(), { now: T0 + 4000 });
		expect(await sent()).toEqual(['[firing] Churn']);
		await evaluateAlerts(t.db, new Map(), { now: T0 + 5000, customers: true });
		expect(await sent()).toEqual(['[firing] Churn', '[normal] Churn']);
	});
});

describe('the value shown for a customer rule', () => {
	it('is the latest count, also on ticks that do not run customer rules and after a restart', async () => {
		expect((await saveRule(t.db, { id: 'churn', name: 'Churn', definition: { kind: 'churn', min_probability: 0.7 } })).ok).toBe(true);
		await scores(['a', 'b']);
		await evaluateAlerts(t.db, new Map(), { now: T0, customers: true });
		const value = async () => (await listRuleStatuses(t.db)).find((r) => r.id === 'churn');
		expect(await value()).toMatchObject({ state: 'firing', value: 2, value_text: '2 customers' });
		await scores(['c', 'd', 'e']);
		await evaluateAlerts(t.db, new Map(), { now: T0 + 60_000, customers: true });
		expect(await value()).toMatchObject({ state: 'firing', value: 5 });
		// Metric ticks in between do not evaluate customer rules: the value stays the latest count.
		for (let i = 1; i <= 3; i++) {
			await evaluateAlerts(t.db, new Map(), { now: T0 + 60_000 + i * 1000 });
			expect(await value()).toMatchObject({ value: 5, value_text: '5 customers' });
		}
		// The stored value is current too (what a restarted server shows before its first run).
		expect((await loadRuleStates(t.db)).get('churn')?.lastValue).toBe(5);
		(latestRuleValues() as Map<string, unknown>).delete('churn');
		expect(await value()).toMatchObject({ value: 5 });
	});
});
