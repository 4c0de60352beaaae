// The server's background debt recompute after a tolerance save (alerts/debt-recompute-job.ts): it runs
// after the save has answered, reports on the `debt-recompute` live event, and a save while it runs is
// recomputed next with the segments merged.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { debtRecomputeIdle, debtRecomputeStatus, scheduleDebtRecompute } from '../../src/lib/server/alerts/debt-recompute-job';
import { DEFAULT_TOLERANCE } from '../../src/lib/server/alerts/tolerance-defaults';
import { saveToleranceSettings } from '../../src/lib/server/alerts/tolerance-settings';
import { ingestEvents } from '../../src/lib/server/ingest';
import { liveHub } from '../../src/lib/server/live/hub';
import type { DebtRecomputePayload } from '../../src/lib/shared/live-events';
import { aCustomer } from '../fixtures/alerts';
import { insertCustomers } from '../fixtures/alerts-db';
import { anEvent } from '../fixtures/events';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb;
beforeEach(async () => (t = await tempDb()));
afterEach(async () => {
	await debtRecomputeIdle();
	await t.cleanup();
});

describe('background debt recompute', () => {
	it('publishes its progress and runs a save made meanwhile next, with the segments merged', async () => {
		await insertCustomers(t.db, [
			aCustomer().withId('a').inSegment('default').build(),
			aCustomer().withId('b').inSegment('basic').build(),
			aCustomer().withId('v').inSegment('vip').build()
		]);
		const r = await ingestEvents(
			t.db,
			['a', 'b', 'v'].map((c) => anEvent().withCustomer(c).withType('complaint').at('2026-01-01T00:00:00Z').build()),
			{ source: 'test' }
		);
		expect(r).toMatchObject({ ok: true });
		for (const [segment, complaint] of [['vip', 30], ['basic', 20], ['*', 25]] as const)
			await saveToleranceSettings(t.db, segment, { ...DEFAULT_TOLERANCE, weights: { ...DEFAULT_TOLERANCE.weights, complaint } });

		const frames: DebtRecomputePayload[] = [];
		const unsubscribe = liveHub().subscribe((f) => {
			if (f.event !== 'debt-recompute') return;
			const data = new TextDecoder().decode(f.bytes).split('\n').find((l) => l.startsWith('data: '))!;
			frames.push(JSON.parse(data.slice(6)) as DebtRecomputePayload);
		});
		// Walls and executives (the public view) are not sent it; admins (the whole stream) are.
		let publicFrames = 0;
		const unsubscribePublic = liveHub().subscribe((f) => void (f.event === 'debt-recompute' && publicFrames++), 'public');
		try {
			scheduleDebtRecompute(t.db, 'vip');
			// Both arrive while vip's run is going: they are merged into one run after it.
			scheduleDebtRecompute(t.db, 'basic');
			scheduleDebtRecompute(t.db, 'vip');
			await debtRecomputeIdle();
		} finally {
			unsubscribe();
			unsubscribePublic();
		}
		expect(publicFrames).toBe(0);
		const seen = frames.map((p) => `${p.segments?.join('+') ?? 'all'} ${p.state} ${p.done}/${p.total}`);
		expect(seen).toEqual([
			'vip running 0/null',
			'vip running 1/1',
			'vip done 1/1',
			'basic+vip running 0/null',
			'basic+vip running 2/2',
			'basic+vip done 2/2'
		]);
		expect(debtRecomputeStatus()).toEqual(frames.at(-1));
		const debts = await t.db.all<{ customer_id: string; debt: number }>('SELECT customer_id, debt FROM customer_debt ORDER BY 1');
		// a (default segment, '*' settings) was not asked for and keeps the 15 points it was ingested with.
		expect(debts).toEqual([
			{ customer_id: 'a', debt: 15 },
			{ customer_id: 'b', debt: 20 },
			{ customer_id: 'v', debt: 30 }
		]);

		scheduleDebtRecompute(t.db, '*');
		await debtRecomputeIdle();
		expect(debtRecomputeStatus()).toMatchObject({ state: 'done', segments: null, done: 3, total: 3 });
		expect((await t.db.one<{ debt: number }>(`SELECT debt FROM customer_debt WHERE customer_id = 'a'`))?.debt).toBe(25);
	});
});
