// The debt recomputes a tolerance save owes (debt_recompute_pending): committed with the settings or not at
// all, restarted by a new save of the same segment, and all replaced by a save of everyone's '*' settings.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TOLERANCE } from '../../src/lib/server/alerts/tolerance-defaults';
import { saveToleranceSettings } from '../../src/lib/server/alerts/tolerance-settings';
import { tempDb, type TempDb } from '../helpers/temp-db';
import { recomputeDebt, type RecomputeProgress } from '../../src/lib/server/alerts/debt-recompute';
import { pendingCursor, pendingRecomputes } from '../../src/lib/server/alerts/debt-recompute-pending';
import { aCustomer } from '../fixtures/alerts';
import { insertCustomers } from '../fixtures/alerts-db';

let t: TempDb;
beforeEach(async () => (t = await tempDb()));
afterEach(async () => t.cleanup());

const owed = () =>
	t.db.all<{ segment: string; after_customer_id: string | null }>('SELECT segment, after_customer_id FROM debt_recompute_pending ORDER BY segment');
const saved = async () => (await t.db.all<{ segment: string }>('SELECT segment FROM tolerance_settings ORDER BY segment')).map((r) => r.segment);

describe('debt recomputes owed by tolerance saves', () => {
	it('a save owes its segment a recompute from the first customer, even one already half-way', async () => {
		expect(await saveToleranceSettings(t.db, 'vip', DEFAULT_TOLERANCE)).toEqual({ ok: true });
		expect(await owed()).toEqual([{ segment: 'vip', after_customer_id: null }]);
		// As a recompute that got to c0123 leaves it.
		await t.db.run(`UPDATE debt_recompute_pending SET after_customer_id = 'c0123'`);
		expect(await saveToleranceSettings(t.db, 'vip', { ...DEFAULT_TOLERANCE, limit: 30 })).toEqual({ ok: true });
		expect(await owed()).toEqual([{ segment: 'vip', after_customer_id: null }]);
	});

	it("a save of '*' owes everyone's recompute, which covers those owed before; a segment saved after is owed its own", async () => {
		for (const segment of ['vip', 'basic', '*', 'gold']) expect(await saveToleranceSettings(t.db, segment, DEFAULT_TOLERANCE)).toEqual({ ok: true });
		expect(await owed()).toEqual([
			{ segment: '*', after_customer_id: null },
			{ segment: 'gold', after_customer_id: null }
		]);
	});

	it('the recompute owed is committed with the settings: neither is stored without the other', async () => {
		// The settings' own write fails (its audit entry cannot be written): no recompute is owed.
		await t.db.run('ALTER TABLE audit_log RENAME TO audit_log_away');
		await expect(saveToleranceSettings(t.db, 'vip', DEFAULT_TOLERANCE)).rejects.toThrow(/audit_log/);
		await t.db.run('ALTER TABLE audit_log_away RENAME TO audit_log');
		expect(await owed()).toEqual([]);
		expect(await saved()).toEqual([]);
		// Owing the recompute fails: the settings are not saved either.
		await t.db.run('ALTER TABLE debt_recompute_pending RENAME TO pending_away');
		await expect(saveToleranceSettings(t.db, 'vip', DEFAULT_TOLERANCE)).rejects.toThrow(/debt_recompute_pending/);
		await t.db.run('ALTER TABLE pending_away RENAME TO debt_recompute_pending');
		expect(await saved()).toEqual([]);
		expect(await t.db.all(`SELECT * FROM audit_log WHERE action = 'tolerance.update'`)).toEqual([]);
		// And a save that commits has both.
		expect(await saveToleranceSettings(t.db, 'vip', DEFAULT_TOLERANCE)).toEqual({ ok: true });
		expect(await saved()).toEqual(['vip']);
		expect(await owed()).toEqual([{ segment: 'vip', after_customer_id: null }]);
	});

	it('a save between two chunks sends the recompute back to its first customer, and its progress says it started over', async () => {
		await insertCustomers(t.db, ['c1', 'c2', 'c3'].map((id) => aCustomer().withId(id).inSegment('vip').build()));
		expect(await saveToleranceSettings(t.db, 'vip', DEFAULT_TOLERANCE)).toEqual({ ok: true });
		const marker = (await pendingRecomputes(t.db))[0];
		const cursor = pendingCursor(marker);
		let saved = false;
		const progress: RecomputeProgress[] = [];
		await recomputeDebt(t.db, {
			segments: ['vip'],
			chunkCustomers: 1,
			cursor: {
				read: (conn) => cursor.read(conn),
				async write(conn, last) {
					await cursor.write(conn, last);
					// As a save of vip committed right after the first chunk leaves the marker.
					if (!saved) await conn.run('UPDATE debt_recompute_pending SET after_customer_id = NULL');
					saved = true;
				}
			},
			onProgress: (p) => progress.push(p)
		});
		expect(progress.map((p) => `${p.done}/${p.total}${p.restarted ? ' restarted' : ''}`)).toEqual(['1/3', '1/3 restarted', '2/3 restarted', '3/3 restarted']);
		expect(await owed()).toEqual([]);
	});
});
