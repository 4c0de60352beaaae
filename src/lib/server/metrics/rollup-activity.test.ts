// Linking a large imported history takes a minute; meanwhile the churn tile answers at once with a note,
// the alert loop's tiles wait for the real value, and writers go on (the catch-up is a side write).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { appendEvents, insertCustomers } from '../../../../tests/fixtures/alerts-db';
import { aCustomer, aStoredEvent } from '../../../../tests/fixtures/alerts';
import { activityBacklog, activityReady, type ActivityWait } from './rollup-activity';
import { rollupApplier } from './rollup-applier';
import { computeTileSet } from './tiles';

const NOW = new Date('2026-03-01T12:00:00Z');
const DAY = 86_400_000;

let t: TempDb;

beforeAll(async () => {
	t = await tempDb();
	await insertCustomers(t.db, Array.from({ length: 6 }, (_, i) => aCustomer().withId(`c${i}`).build()));
	// Six customers active 40 days ago, four of them again 5 days ago: over the last 30 days two of
	// the six were lost by inactivity.
	const at = (days: number) => new Date(NOW.getTime() - days * DAY);
	await appendEvents(
		t.db,
		[
			...[0, 1, 2, 3, 4, 5].map((i) => aStoredEvent().withId(`old-${i}`).forCustomer(`c${i}`).withType('visit').at(at(40)).build()),
			...[0, 1, 2, 3].map((i) => aStoredEvent().withId(`new-${i}`).forCustomer(`c${i}`).withType('purchase').at(at(5)).build())
		],
		[rollupApplier]
	);
}, 30_000);
afterAll(async () => {
	await t.cleanup();
});

/** Holds the side-write lock until released, so a catch-up queues behind it as behind a long one. */
function holdSideWrites(): () => Promise<void> {
	let release!: () => void;
	const gate = new Promise<void>((r) => (release = r));
	const held = t.db.sideWrite(() => gate);
	return async () => {
		release();
		await held;
	};
}

const tiles = async (activity: ActivityWait) => {
	const set = await computeTileSet(t.db, {
		window: '30d',
		now: NOW,
		channel: null,
		segment: null,
		churn: { inactivityDays: 30, lostBy: 'inactivity' },
		metrics: ['churn_rate', 'active_customers'],
		activity,
		sparklineWaitMs: Infinity
	});
	return Object.fromEntries(set.tiles.map((x) => [x.id, x]));
};

describe('activity catch-up after an import', () => {
	it('answers at once while a large catch-up runs, lets writers go on, and waits when asked', async () => {
		expect(await activityBacklog(t.db)).toBe(10);
		const release = holdSideWrites();
		let waited: Promise<Awaited<ReturnType<typeof tiles>>> | null = null;
		try {
			expect(await activityReady(t.db, { waitRecords: 5, waitMs: 50 })).toEqual({
				ok: false,
				error: 'catching up on 10 stored activity records; shown when done'
			});
			const now = await tiles({ waitRecords: 5, waitMs: 50 });
			expect(now.churn_rate.value).toBeNull();
			expect(now.churn_rate.note).toBe('catching up on 10 stored activity records; shown when done');
			// No trend while catching up either; active customers need no links and keep theirs.
			expect(now.churn_rate.sparkline).toEqual([]);
			expect(now.active_customers.value).toBe(4);
			expect(now.active_customers.sparkline).toHaveLength(30);

			// The write lock is free while the catch-up waits for its side write.
			await t.db.write(async (conn) => {
				await conn.run('SELECT 1');
			});

			let settled = false;
			waited = tiles({ wait: true }).finally(() => (settled = true));
			await new Promise((r) => setTimeout(r, 200));
			expect(settled).toBe(false);
		} finally {
			await release();
		}
		const after = await waited;
		expect(after.churn_rate.value).toBeCloseTo((2 / 6) * 100, 6);
		expect(after.churn_rate.sparkline).toHaveLength(30);
		expect(after.churn_rate.sparkline.at(-1)).toBe(after.churn_rate.value);
		// The catch-up note is gone; 6 customers at the start are too few for a verdict (verdict.ts).
		expect(after.churn_rate.note).toBe('too few to judge (6 customers active at the start; 10 needed)');
		expect(await activityBacklog(t.db)).toBe(0);
		expect(await activityReady(t.db, { waitRecords: 0, waitMs: 0 })).toEqual({ ok: true });
	});

	it('a checkpoint waits for a side write without holding the write lock', async () => {
		const release = holdSideWrites();
		let checkpointed = false;
		const checkpoint = t.db.checkpoint().then(() => (checkpointed = true));
		try {
			await t.db.write(async (conn) => {
				await conn.run('SELECT 1');
			});
			expect(checkpointed).toBe(false);
		} finally {
			await release();
		}
		await checkpoint;
		expect(checkpointed).toBe(true);
	});
});
