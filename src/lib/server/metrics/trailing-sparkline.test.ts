// The tiles that count distinct customers over the whole window draw the metric page's trailing line
// as their sparkline, ending at the tile's figure, and read it again only once its points have moved on.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { appendEvents, insertCustomers } from '../../../../tests/fixtures/alerts-db';
import { aCustomer, aStoredEvent } from '../../../../tests/fixtures/alerts';
import type { WindowId } from '../../shared/format';
import type { ChurnOptions } from './customer-queries';
import { findMetric } from './definitions';
import { rollupApplier } from './rollup-applier';
import { computeDrilldown } from './drilldown';
import { computeTileSet } from './tiles';
import { loadTrailingHistory } from './trailing-history';
import { trailingRefreshMs } from './trailing-sparkline';

const NOW = new Date('2026-03-01T12:00:30Z');
const DAY = 86_400_000;
const HOUR = 3_600_000;
const CHURN: ChurnOptions = { inactivityDays: 30, lostBy: 'either' };
const TRAILING = ['churn_rate', 'active_customers', 'repeat_purchase_rate', 'avg_relationship_days'];

let t: TempDb;

beforeAll(async () => {
	t = await tempDb();
	await insertCustomers(
		t.db,
		Array.from({ length: 20 }, (_, i) => aCustomer().withId(`c${i}`).inSegment(i % 2 ? 'default' : 'vip').build())
	);
	// Each customer comes back every 3 to 7 days; a quarter stop 10 to 26 days ago, a quarter start 5 to 45
	// days ago: the trailing values move.
	const events = [];
	for (let i = 0; i < 20; i++) {
		const every = 3 + (i % 5);
		const first = i % 4 === 1 ? 5 + 2 * i : 70;
		const last = i % 4 === 0 ? 10 + i : 0;
		for (let d = first; d >= last; d -= every) {
			const at = new Date(NOW.getTime() - d * DAY - (i % 7) * HOUR);
			const type = d % 2 ? 'purchase' : 'visit';
			events.push(aStoredEvent().forCustomer(`c${i}`).withType(type).onChannel(i % 3 ? 'web' : 'app').at(at).build());
		}
	}
	await appendEvents(t.db, events, [rollupApplier]);
}, 30_000);
afterAll(async () => {
	await t?.cleanup();
});

// Waiting for every first read: the lines are compared as soon as the tile set is there.
const tileSet = (window: WindowId, now: Date, scope: { channel?: string; segment?: string } = {}, churn = CHURN) =>
	computeTileSet(t.db, { window, now, channel: scope.channel ?? null, segment: scope.segment ?? null, churn, sparklineWaitMs: Infinity });

const trailing = async (id: string, window: WindowId, now: Date, scope: { channel?: string; segment?: string } = {}, churn = CHURN) => {
	const r = await loadTrailingHistory(t.db, findMetric(id)!, { channel: scope.channel ?? null, segment: scope.segment ?? null }, { window, now, churn });
	if (!r.ok) throw new Error(r.error);
	return r.value.map((p) => p.value);
};

describe('trailing sparklines on tiles', () => {
	it('gives churn, active, repeat-purchase and relationship tiles the metric page’s trailing points, ending at the tile', async () => {
		const set = await tileSet('30d', NOW);
		for (const id of TRAILING) {
			const tile = set.tiles.find((x) => x.id === id)!;
			const points = await trailing(id, '30d', NOW);
			expect(points, id).toHaveLength(30);
			expect(tile.sparkline.slice(0, -1), id).toEqual(points.slice(0, -1));
			expect(tile.sparkline.at(-1), id).toBe(tile.value);
			expect(tile.value, id).not.toBeNull();
		}
		// The data moves: a flat line would not show the points come from different windows.
		const active = set.tiles.find((x) => x.id === 'active_customers')!.sparkline;
		expect(new Set(active).size).toBeGreaterThan(1);
	});

	it('keeps scopes and churn options apart', async () => {
		const all = await tileSet('7d', NOW);
		const vip = await tileSet('7d', NOW, { segment: 'vip' });
		const app = await tileSet('7d', NOW, { channel: 'app' });
		const strict = await tileSet('7d', NOW, {}, { inactivityDays: 7, lostBy: 'either' });
		const line = (s: typeof all, id: string) => s.tiles.find((x) => x.id === id)!.sparkline;
		expect(line(vip, 'active_customers').slice(0, -1)).toEqual((await trailing('active_customers', '7d', NOW, { segment: 'vip' })).slice(0, -1));
		expect(line(app, 'active_customers').slice(0, -1)).toEqual((await trailing('active_customers', '7d', NOW, { channel: 'app' })).slice(0, -1));
		expect(line(vip, 'active_customers')).not.toEqual(line(all, 'active_customers'));
		expect(line(app, 'active_customers')).not.toEqual(line(all, 'active_customers'));
		const strictChurn = await trailing('churn_rate', '7d', NOW, {}, { inactivityDays: 7, lostBy: 'either' });
		expect(line(strict, 'churn_rate').slice(0, -1)).toEqual(strictChurn.slice(0, -1));
		expect(line(strict, 'churn_rate')).not.toEqual(line(all, 'churn_rate'));
	});

	it('draws no sparkline on breakdown rows (the window alone)', async () => {
		const row = await computeTileSet(t.db, { window: '30d', now: NOW, channel: 'web', segment: null, churn: CHURN, currentOnly: true });
		for (const id of TRAILING) expect(row.tiles.find((x) => x.id === id)!.sparkline, id).toEqual([]);
	});

	it('leaves the trailing read to the metric page’s own chart on a drill-down (no second read beside it)', async () => {
		const scope = { window: '7d' as const, channel: 'web', segment: 'vip' };
		const drill = await computeDrilldown(t.db, 'active_customers', scope, { now: NOW, churn: CHURN });
		if (!drill.ok) throw new Error(drill.error);
		expect(drill.value.series.kind).toBe('trailing');
		// Had the drill-down's tile set read this scope's trailing points, a tile set that does not wait would draw them.
		const set = await computeTileSet(t.db, { ...scope, now: NOW, churn: CHURN, sparklineWaitMs: 0 });
		expect(set.tiles.find((x) => x.id === 'active_customers')!.sparkline).toEqual([]);
	});

	it('does not hold the figures for a first read: the line comes with a later tile set', async () => {
		const q = { window: '24h' as const, now: NOW, channel: null, segment: 'default', churn: CHURN, sparklineWaitMs: 0 };
		const first = (await computeTileSet(t.db, q)).tiles.find((x) => x.id === 'active_customers')!;
		expect(first.value).toBeGreaterThan(0);
		expect(first.sparkline).toEqual([]);
		const points = await trailing('active_customers', '24h', NOW, { segment: 'default' });
		await vi.waitFor(
			async () => expect((await computeTileSet(t.db, q)).tiles.find((x) => x.id === 'active_customers')!.sparkline.slice(0, -1)).toEqual(points.slice(0, -1)),
			{ timeout: 10_000, interval: 50 }
		);
	});

	// Last: it adds events.
	it('reads the earlier points again only after one point spacing; the last point follows the tile meanwhile', async () => {
		expect(trailingRefreshMs('24h')).toBe(HOUR);
		expect(trailingRefreshMs('30d')).toBe(DAY);
		expect(trailingRefreshMs('1h')).toBe(120_000);
		expect(trailingRefreshMs('15m')).toBe(60_000);
		const line = async (now: Date) => (await tileSet('24h', now)).tiles.find((x) => x.id === 'active_customers')!;
		const before = await line(NOW);
		// Two customers nobody had seen, active 5 hours ago: every trailing window from then on counts them.
		await insertCustomers(t.db, [aCustomer().withId('late-1').build(), aCustomer().withId('late-2').build()]);
		const at = new Date(NOW.getTime() - 5 * HOUR);
		await appendEvents(t.db, ['late-1', 'late-2'].map((c) => aStoredEvent().forCustomer(c).at(at).build()), [rollupApplier]);

		const soon = new Date(NOW.getTime() + 20 * 60_000);
		const kept = await line(soon);
		expect(kept.sparkline.slice(0, -1)).toEqual(before.sparkline.slice(0, -1));
		expect(kept.value).toBe(before.value! + 2);
		expect(kept.sparkline.at(-1)).toBe(kept.value);
		const fresh = await trailing('active_customers', '24h', soon);
		expect(kept.sparkline.slice(0, -1)).not.toEqual(fresh.slice(0, -1));

		// One spacing on, the kept points are still drawn while the new ones are read beside the tick.
		const later = new Date(NOW.getTime() + HOUR);
		const meanwhile = await line(later);
		expect(meanwhile.sparkline.slice(0, -1)).toEqual(before.sparkline.slice(0, -1));
		expect(meanwhile.sparkline.at(-1)).toBe(meanwhile.value);
		const fresher = (await trailing('active_customers', '24h', later)).slice(0, -1);
		await vi.waitFor(async () => expect((await line(later)).sparkline.slice(0, -1)).toEqual(fresher), { timeout: 10_000, interval: 50 });
		// Points older than two spacings are not drawn: the tile set waits for the read.
		const much = new Date(NOW.getTime() + 4 * HOUR);
		const muchLater = (await trailing('active_customers', '24h', much)).slice(0, -1);
		expect(muchLater).not.toEqual(fresher);
		expect((await line(much)).sparkline.slice(0, -1)).toEqual(muchLater);
	});
});
