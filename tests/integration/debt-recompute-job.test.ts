// The server's background debt recompute after a tolerance save (alerts/debt-recompute-job.ts): it runs
// after the save has answered, works through what the saves owe (debt_recompute_pending), reports on the
// `debt-recompute` live event, and a save made while it runs is recomputed next.
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

const complaintWorth = (complaint: number) => ({ ...DEFAULT_TOLERANCE, weights: { ...DEFAULT_TOLERANCE.weights, complaint } });

describe('background debt recompute', () => {
	it('recomputes what the saves owe, oldest first, publishing its progress; a save made while it runs is recomputed next', async () => {
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
		await saveToleranceSettings(t.db, 'vip', complaintWorth(30));
		await saveToleranceSettings(t.db, 'basic', complaintWorth(20));

		const frames: DebtRecomputePayload[] = [];
		let saveMeanwhile: Promise<unknown> | undefined;
		const unsubscribe = liveHub().subscribe((f) => {
			if (f.event !== 'debt-recompute') return;
			const data = new TextDecoder().decode(f.bytes).split('\n').find((l) => l.startsWith('data: '))!;
			const p = JSON.parse(data.slice(6)) as DebtRecomputePayload;
			frames.push(p);
			// While everyone's recompute runs, vip is saved again: it must end with vip's newest settings.
			if (p.segments === null && p.state === 'running' && !saveMeanwhile) saveMeanwhile = saveToleranceSettings(t.db, 'vip', complaintWorth(40));
		});
		// Walls and executives (the public view) are not sent it; admins (the whole stream) are.
		let publicFrames = 0;
		const unsubscribePublic = liveHub().subscribe((f) => void (f.event === 'debt-recompute' && publicFrames++), 'public');
		// The segments owed besides the one running are listed as waiting ('basic' while vip runs).
		const seen = () =>
			frames.splice(0).map((p) => `${p.segments?.join('+') ?? 'all'} ${p.state} ${p.done}/${p.total}${p.waiting.length ? ` waiting ${p.waiting.join(',')}` : ''}`);
		const debts = () => t.db.all<{ customer_id: string; debt: number }>('SELECT customer_id, debt FROM customer_debt ORDER BY 1');
		const owed = () => t.db.all<{ segment: string }>('SELECT segment FROM debt_recompute_pending ORDER BY 1');
		try {
			scheduleDebtRecompute(t.db);
			// A second wake while it runs starts nothing more.
			scheduleDebtRecompute(t.db);
			await debtRecomputeIdle();
			expect(publicFrames).toBe(0);
			expect(seen()).toEqual([
				'vip running 0/null waiting basic',
				'vip running 1/1 waiting basic',
				'vip done 1/1 waiting basic',
				'basic running 0/null',
				'basic running 1/1',
				'basic done 1/1'
			]);
			expect(debtRecomputeStatus()).toMatchObject({ state: 'done', segments: ['basic'] });
			// a (default segment, '*' settings) was not owed a recompute and keeps the 15 points it was ingested with.
			expect(await debts()).toEqual([
				{ customer_id: 'a', debt: 15 },
				{ customer_id: 'b', debt: 20 },
				{ customer_id: 'v', debt: 30 }
			]);
			expect(await owed()).toEqual([]);

			await saveToleranceSettings(t.db, '*', complaintWorth(25));
			scheduleDebtRecompute(t.db);
			await debtRecomputeIdle();
			await saveMeanwhile;
			expect(seen()).toEqual(['all running 0/null', 'all running 3/3', 'all done 3/3 waiting vip', 'vip running 0/null', 'vip running 1/1', 'vip done 1/1']);
			expect(await debts()).toEqual([
				{ customer_id: 'a', debt: 25 },
				{ customer_id: 'b', debt: 20 },
				{ customer_id: 'v', debt: 40 }
			]);
			expect(await owed()).toEqual([]);
		} finally {
			unsubscribe();
			unsubscribePublic();
		}
	});
});
