// The background debt recompute at server shutdown: it ends after the chunk in progress (committed with its
// cursor), so the final checkpoint comes after its last write, and what is left stays owed for the next start.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RECOMPUTE_CHUNK_CUSTOMERS } from '../../src/lib/server/alerts/debt-recompute';
import { debtRecomputeStatus, scheduleDebtRecompute, stopDebtRecompute } from '../../src/lib/server/alerts/debt-recompute-job';
import { pendingRecomputes } from '../../src/lib/server/alerts/debt-recompute-pending';
import { DEFAULT_TOLERANCE } from '../../src/lib/server/alerts/tolerance-defaults';
import { saveToleranceSettings } from '../../src/lib/server/alerts/tolerance-settings';
import { liveHub } from '../../src/lib/server/live/hub';
import type { DebtRecomputePayload } from '../../src/lib/shared/live-events';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb;
beforeEach(async () => (t = await tempDb()));
afterEach(() => t.cleanup());

describe('debt recompute at shutdown', () => {
	it('stops after the chunk in progress and leaves the rest owed from its cursor', async () => {
		const n = RECOMPUTE_CHUNK_CUSTOMERS * 3;
		await t.db.run(`INSERT INTO customers (customer_id, segment) SELECT 'c' || lpad(i::TEXT, 5, '0'), 'default' FROM range($1) t(i)`, [n]);
		await saveToleranceSettings(t.db, '*', { ...DEFAULT_TOLERANCE, weights: { ...DEFAULT_TOLERANCE.weights, complaint: 25 } });

		let stopping: Promise<void> | undefined;
		let stopped!: (p: Promise<void>) => void;
		const stopDone = new Promise<void>((r) => (stopped = r));
		const unsubscribe = liveHub().subscribe((f) => {
			if (f.event !== 'debt-recompute' || stopping) return;
			const data = new TextDecoder().decode(f.bytes).split('\n').find((l) => l.startsWith('data: '))!;
			const p = JSON.parse(data.slice(6)) as DebtRecomputePayload;
			// The server stops as the first chunk is committed.
			if (p.state === 'running' && p.done > 0) stopped((stopping = stopDebtRecompute()));
		});
		try {
			scheduleDebtRecompute(t.db);
			await stopDone;
		} finally {
			unsubscribe();
		}
		const done = debtRecomputeStatus()!.done;
		expect(done).toBeGreaterThanOrEqual(RECOMPUTE_CHUNK_CUSTOMERS);
		expect(done).toBeLessThan(n);
		// Owed still, from the last committed chunk's last customer.
		const [owed] = await pendingRecomputes(t.db);
		expect(owed.after).toBe(`c${String(done - 1).padStart(5, '0')}`);
		// Not reported as a failure, and a save during the stop starts nothing.
		expect(debtRecomputeStatus()!.state).toBe('running');
		scheduleDebtRecompute(t.db);
		await new Promise((r) => setTimeout(r, 200));
		expect(debtRecomputeStatus()!.done).toBe(done);
	});
});
