// The metric drill-down (computeDrilldown) on a small world through the ingest appliers: every chart
// that sits beside a value has points (trailing windows for the distinct-customer metrics, agreeing
// with the tile as it read at each point), an at-risk page without recorded scores says its line waits for them, the churn channel rows
// say what they measure, a filtered page's breakdowns keep the other filter, and an unknown segment
// is refused with the known ones listed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../helpers/temp-db';
import { appendEvents, insertCustomers } from '../fixtures/alerts-db';
import { aCustomer, aStoredEvent, type EventRow } from '../fixtures/alerts';
import type { Channel, EventType } from '../../src/lib/shared/events';
import { computeDrilldown, type Drilldown } from '../../src/lib/server/metrics/drilldown';
import { catchUpActivity } from '../../src/lib/server/metrics/rollup-activity';
import { rollupApplier } from '../../src/lib/server/metrics/rollup-applier';
import { checkScopeSegment } from '../../src/lib/server/metrics/segments';
import { computeTileSet } from '../../src/lib/server/metrics/tiles';
import type { TileScope } from '../../src/lib/shared/live-events';

const NOW = new Date('2026-03-01T12:00:20Z');
const DAY = 86_400_000;
const CHURN = { inactivityDays: 30, lostBy: 'either' as const };
let t: TempDb;

beforeAll(async () => {
	t = await tempDb();
	await insertCustomers(
		t.db,
		Array.from({ length: 24 }, (_, i) =>
			aCustomer()
				.withId(`c${i}`)
				.inSegment(i % 4 === 0 ? 'vip' : 'default')
				.build()
		)
	);
	const channels: Channel[] = ['web', 'app', 'email', 'chat'];
	const types: EventType[] = ['visit', 'visit', 'purchase', 'survey_csat'];
	const events: EventRow[] = [];
	// Customer i is active every (i % 5 + 1) days until day (i * 3) ago; a few cancel on their last day.
	for (let i = 0; i < 24; i++) {
		for (let ago = 70; ago >= i * 3; ago -= (i % 5) + 1) {
			const k = i + ago;
			const e = aStoredEvent()
				.withId(`e-${i}-${ago}`)
				.forCustomer(`c${i}`)
				.withType(types[k % types.length])
				.onChannel(channels[(k * 7 + i) % channels.length])
				.at(new Date(NOW.getTime() - ago * DAY - (k % 7) * 3_600_000));
			events.push(types[k % types.length] === 'survey_csat' ? e.withRating((k % 5) + 1).build() : e.build());
		}
		if (i % 6 === 1)
			events.push(
				aStoredEvent()
					.withId(`x-${i}`)
					.forCustomer(`c${i}`)
					.withType('cancellation')
					.at(new Date(NOW.getTime() - i * 3 * DAY))
					.build()
			);
	}
	await appendEvents(t.db, events, [rollupApplier]);
	await catchUpActivity(t.db);
}, 60_000);
afterAll(async () => {
	await t?.cleanup();
});

const ALL: TileScope = { window: '30d', channel: null, segment: null };

async function drill(metric: string, scope: TileScope = ALL): Promise<Drilldown> {
	const r = await computeDrilldown(t.db, metric, scope, { now: NOW, churn: CHURN });
	if (!r.ok) throw new Error(r.error);
	return r.value;
}

/** The tile as it read when its window ended at `end` (a whole minute). */
async function tileEndingAt(metric: string, scope: TileScope, end: string) {
	const set = await computeTileSet(t.db, {
		...scope,
		metrics: [metric],
		now: new Date(Date.parse(end) - 60_000),
		churn: CHURN
	});
	expect(set.to).toBe(end);
	return set.tiles[0].value;
}

describe('drill-down chart', () => {
	it.each([
		['churn_rate', ALL],
		['active_customers', { window: '7d', channel: null, segment: null }],
		['repeat_purchase_rate', { window: '30d', channel: 'web', segment: null }],
		['avg_relationship_days', { window: '24h', channel: null, segment: 'vip' }]
	] as const)('%s is drawn over trailing windows, each the tile as it read then', async (metric, scope) => {
		const d = await drill(metric, scope);
		expect(d.tile.value).not.toBeNull();
		expect(d.series.kind).toBe('trailing');
		expect(d.points.length).toBeGreaterThanOrEqual(24);
		expect(d.points.at(-1)).toEqual({ at: d.to, value: d.tile.value });
		for (const i of [0, Math.floor(d.points.length / 2)]) {
			expect(d.points[i].value, `point ${i}`).toBe(await tileEndingAt(metric, scope, d.points[i].at));
		}
		expect(d.points.filter((p) => p.value !== null).length).toBeGreaterThan(d.points.length / 2);
	});

	it('a churn chart has a value at every point of the demo-like history (never "no data" beside a value)', async () => {
		const d = await drill('churn_rate');
		expect(d.points.every((p) => p.value !== null && p.value >= 0)).toBe(true);
		expect(d.series).toEqual({ kind: 'trailing', stepMs: DAY });
	});

	it('a flow metric keeps its per-bin chart', async () => {
		const d = await drill('csat', { window: '24h', channel: null, segment: null });
		expect(d.series).toEqual({ kind: 'bins', binMs: 30 * 60_000 });
		expect(d.points).toHaveLength(48);
	});

	it('an at-risk snapshot with no scores recorded waits for its line (risk-history.test.ts draws one), and has no rows per channel', async () => {
		const d = await drill('at_risk_revenue');
		expect(d.series).toEqual({ kind: 'awaiting', stepMs: DAY, recordedFrom: null });
		expect(d.points).toEqual([]);
		expect(d.byChannel).toEqual([]);
		expect(d.channelMeaning?.note).toMatch(/a churn score belongs to a customer/);
	});
});

describe('drill-down breakdowns', () => {
	it('churn per channel is labelled as stopping using the channel and not judged by the churn thresholds', async () => {
		const d = await drill('churn_rate');
		expect(d.channelMeaning?.valueLabel).toBe('Stopped using the channel');
		expect(d.byChannel.some((r) => r.value !== null && r.value >= 6)).toBe(true); // would have read "critical"
		expect(d.byChannel.every((r) => r.state === 'ok' || r.state === 'nodata')).toBe(true);
		// Segments partition the customers: those rows are churn rates, judged like the tile.
		expect(d.bySegment.map((r) => r.key)).toEqual(['default', 'vip']);
		const lost = d.bySegment.reduce((a, r) => a + (r.counts.lost_customers ?? 0), 0);
		expect(lost).toBe(d.tile.counts.lost_customers);
		const csat = await drill('csat');
		expect(csat.channelMeaning).toBeNull();
	});

	it('repeat purchases per channel are labelled as purchases on that channel and not judged by the overall thresholds', async () => {
		const d = await drill('repeat_purchase_rate');
		expect(d.channelMeaning?.valueLabel).toBe('Repeat purchases on the channel');
		expect(d.byChannel.every((r) => r.state === 'ok' || r.state === 'nodata')).toBe(true);
		// The metric has thresholds (its tile is judged); only the channel rows are not.
		expect(d.tile.thresholds).not.toBeNull();
	});

	it('a breakdown row on too few ratings gives no verdict and says why; the others are judged', async () => {
		const d = await drill('csat', { window: '30d', channel: null, segment: null });
		const rows = [...d.byChannel, ...d.bySegment].filter((r) => r.value !== null);
		const few = rows.filter((r) => r.counts.csat_n < 10);
		expect(few.length).toBeGreaterThan(0);
		expect(few.length).toBeLessThan(rows.length);
		for (const r of rows) {
			if (r.counts.csat_n < 10) {
				expect(r.state, r.key).toBe('unjudged');
				expect(r.note, r.key).toBe(`too few to judge (${r.counts.csat_n} CSAT rating${r.counts.csat_n === 1 ? '' : 's'}; 10 needed)`);
			} else {
				expect(['ok', 'warn', 'critical'], r.key).toContain(r.state);
				expect(r.note, r.key).toBeNull();
			}
		}
	});

	it('a filtered page breaks down by channel within its segment and by segment within its channel', async () => {
		const scope: TileScope = { window: '30d', channel: 'web', segment: 'vip' };
		const d = await drill('active_customers', scope);
		const web = d.byChannel.find((r) => r.key === 'web');
		const vip = d.bySegment.find((r) => r.key === 'vip');
		expect([web?.value, vip?.value]).toEqual([d.tile.value, d.tile.value]);
		const all = await drill('active_customers', { ...scope, channel: null, segment: null });
		expect(d.tile.value).toBeLessThan(all.tile.value!);
		// Channel rows of the vip page add up to no more than vip's customers on any channel.
		const vipAll = await drill('active_customers', { ...scope, channel: null });
		expect(d.byChannel.every((r) => (r.value ?? 0) <= vipAll.tile.value!)).toBe(true);
	});
});

describe('segment filter', () => {
	it('refuses an unknown segment, or one in the wrong case, naming the parameter and listing the known ones', async () => {
		for (const segment of ['Nosuch', 'VIP']) {
			const r = await checkScopeSegment(t.db, { ...ALL, segment });
			expect(r).toEqual({
				ok: false,
				error: `segment: must be one of default, vip (got "${segment}"; segments are case-sensitive)`
			});
		}
		for (const segment of ['vip', 'default', null])
			expect((await checkScopeSegment(t.db, { ...ALL, segment })).ok).toBe(true);
	});
});
