import { afterEach, describe, expect, it } from 'vitest';
import { BASE_CHANNELS } from '../../src/lib/server/churn/definitions';
import { prepareFit } from '../../src/lib/server/churn/fit';
import { loadSnapshot } from '../../src/lib/server/churn/snapshot';
import { ingestEvents } from '../../src/lib/server/ingest';
import { aPurchase, anEvent } from '../fixtures/events';
import { aSubscriptionWorld } from '../fixtures/subscriptions';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb | undefined;
afterEach(async () => {
	await t?.cleanup();
	t = undefined;
});

const DAY = 86_400_000;
/** Byte-for-byte equality (toEqual on large typed arrays is slow). */
const same = (x: ArrayBufferView, y: ArrayBufferView) => Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
// Backtest at day T (exclusive end 2024-06-30) with H = 30: the fit happens at T − H.
const asOfT = new Date('2024-06-30T00:00:00Z');
const H = 30;
const fitOptions = (definition: 'inactivity' | 'cancellation') => ({ asOf: new Date(asOfT.getTime() - H * DAY), horizonDays: H, definition });

describe('backtest leakage', () => {
	for (const definition of ['inactivity', 'cancellation'] as const) {
		it(`adding or changing events after T changes neither training features nor training labels (${definition})`, async () => {
			t = await tempDb();
			const events = aSubscriptionWorld().withCustomers(80).from('2024-01-01').forDays(240).withSeed(5).withSilentLeaving(0.3).build();
			const now = new Date('2025-01-01T00:00:00Z');
			expect((await ingestEvents(t.db, events, { source: 'test', now })).ok).toBe(true);
			const before = await prepareFit(t.db, fitOptions(definition));
			if (!before.ok) throw new Error(before.error);
			const testBefore = await loadSnapshot(t.db, { asOf: asOfT, horizonDays: H, definition, withLabels: true, types: before.value.spec.types, channels: BASE_CHANNELS });

			// After T: every customer cancels or buys (added), and existing later events change type.
			const extra = before.value.val.ids.flatMap((id, i) => [
				i % 2 ? aPurchase(id, 999).at(new Date(asOfT.getTime() + 2 * DAY)).build() : anEvent().withCustomer(id).withType('cancellation').at(new Date(asOfT.getTime() + DAY)).build()
			]);
			expect((await ingestEvents(t.db, extra, { source: 'test-late', now })).ok).toBe(true);
			await t.db.run("UPDATE events SET type = 'complaint', value = NULL WHERE occurred_at >= epoch_ms($1) AND type = 'visit'", [asOfT.getTime()]);

			const after = await prepareFit(t.db, fitOptions(definition));
			if (!after.ok) throw new Error(after.error);
			const a = before.value.input;
			const b = after.value.input;
			expect(b.train.n).toBe(a.train.n);
			expect(same(b.train.seq, a.train.seq)).toBe(true);
			expect(same(b.train.stat, a.train.stat)).toBe(true);
			expect(same(b.train.labels, a.train.labels)).toBe(true);
			expect(same(b.val.seq, a.val.seq)).toBe(true);
			expect(same(b.val.stat, a.val.stat)).toBe(true);
			expect(same(b.val.labels, a.val.labels)).toBe(true);
			expect(after.value.spec).toEqual(before.value.spec);

			// The change is real: the evaluation labels after T did move.
			const testAfter = await loadSnapshot(t.db, { asOf: asOfT, horizonDays: H, definition, withLabels: true, types: before.value.spec.types, channels: BASE_CHANNELS });
			expect(testAfter.labels).not.toEqual(testBefore.labels);
		});
	}
});
