// The built server started on a database whose debt recompute was stopped half-way (a crash, a kill -9,
// a deploy) finishes it by itself: the tolerance saved before the stop reaches every customer's debt.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recomputeDebt } from '../../src/lib/server/alerts/debt-recompute';
import { pendingCursor, pendingRecomputes } from '../../src/lib/server/alerts/debt-recompute-pending';
import { DEFAULT_TOLERANCE } from '../../src/lib/server/alerts/tolerance-defaults';
import { saveToleranceSettings } from '../../src/lib/server/alerts/tolerance-settings';
import { ingestEvents } from '../../src/lib/server/ingest';
import { aCustomer } from '../fixtures/alerts';
import { insertCustomers } from '../fixtures/alerts-db';
import { anEvent } from '../fixtures/events';
import { startServer } from '../helpers/server';
import { withDbAt } from '../helpers/temp-db';

vi.setConfig({ testTimeout: 90_000 });

let dir: string;
let dbPath: string;
const IDS = ['c1', 'c2', 'c3'];
const debts = () =>
	withDbAt(dbPath, (db) => db.all<{ customer_id: string; debt: number }>('SELECT customer_id, debt FROM customer_debt ORDER BY customer_id'));

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-debt-restart-'));
	dbPath = join(dir, 'cx.duckdb');
	await withDbAt(dbPath, async (db) => {
		await insertCustomers(db, IDS.map((id) => aCustomer().withId(id).inSegment('default').build()));
		const r = await ingestEvents(db, IDS.map((c) => anEvent().withCustomer(c).withType('complaint').at('2026-01-01T00:00:00Z').build()), { source: 'test' });
		expect(r).toMatchObject({ ok: true });
		expect(await saveToleranceSettings(db, '*', { ...DEFAULT_TOLERANCE, weights: { ...DEFAULT_TOLERANCE.weights, complaint: 25 } })).toEqual({ ok: true });
		// The server that saved it stopped after recomputing c1.
		const [owed] = await pendingRecomputes(db);
		const stop = new AbortController();
		await expect(recomputeDebt(db, { cursor: pendingCursor(owed), chunkCustomers: 1, signal: stop.signal, onProgress: () => stop.abort(new Error('stopped')) })).rejects.toThrow('stopped');
	});
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a debt recompute stopped half-way', () => {
	it('is finished by the next server start, which says so in its log', async () => {
		expect(await debts()).toEqual([
			{ customer_id: 'c1', debt: 25 },
			{ customer_id: 'c2', debt: 15 },
			{ customer_id: 'c3', debt: 15 }
		]);
		const server = await startServer({ dir, env: { CX_LOG_LEVEL: 'info' } });
		try {
			await vi.waitFor(() => expect(server.output()).toMatch(/debt recompute: 3 customers \(all segments\)/), { timeout: 30_000, interval: 100 });
			expect(server.output()).toMatch(/debt recompute: resuming every segment \(\*\) after customer c1 \(saved \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
		} finally {
			await server.stop();
		}
		expect(await debts()).toEqual(IDS.map((customer_id) => ({ customer_id, debt: 25 })));
		expect(await withDbAt(dbPath, (db) => pendingRecomputes(db))).toEqual([]);
	});
});
