// The at-risk tiles' line, and the metric page's chart drawn from the same reader: each point is the tiles as
// they read at that moment, from a score history built by hand here (scores, a drop, a cancellation, two model
// versions with different high bands).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { insertCustomers } from '../../../../tests/fixtures/alerts-db';
import { aCustomer } from '../../../../tests/fixtures/alerts';
import { aModelVersion, writeRegistry } from '../../../../tests/fixtures/model-registry';
import { config, overrideConfig } from '../config';
import type { Db } from '../db';
import { computeDrilldown } from './drilldown';
import { computeTileSet } from './tiles';
import { trailingWindows } from './trailing-history';
import { forgetTrailingSparklines } from './trailing-sparkline';

const NOW = new Date('2026-03-01T12:00:30Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const sql = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

let models: string;
let modelsBefore: string;
beforeAll(() => {
	models = mkdtempSync(join(tmpdir(), 'cx-risk-history-'));
	// v0001 calls 0.6 and above high, v0002 0.4: d's 0.45 is high only because v0002 gave it.
	writeRegistry(models, [
		aModelVersion('v0001').withFittedBands(0.3, 0.6, { medium: 0.3, high: 0.1 }).build(),
		aModelVersion('v0002').withFittedBands(0.2, 0.4, { medium: 0.3, high: 0.1 }).build()
	]);
	modelsBefore = config().modelsDir;
	overrideConfig({ modelsDir: models });
});
afterAll(() => {
	overrideConfig({ modelsDir: modelsBefore });
	rmSync(models, { recursive: true, force: true });
});

let t: TempDb | undefined;
afterEach(async () => {
	if (t) forgetTrailingSparklines(t.db);
	await t?.cleanup();
	t = undefined;
});

async function point(db: Db, id: string, version: string, probability: number, at: Date): Promise<void> {
	await db.run('INSERT INTO score_history (customer_id, model_version, probability, scored_at) VALUES ($1, $2, $3, $4::TIMESTAMP)', [id, version, probability, sql(at)]);
}
async function current(db: Db, id: string, version: string, probability: number, band: string, at: Date): Promise<void> {
	await db.run(
		`INSERT INTO scores (customer_id, model_version, probability, risk_band, reasons, scored_at) VALUES ($1, $2, $3, $4, '[]', $5::TIMESTAMP)`,
		[id, version, probability, band, sql(at)]
	);
}
/** Removals recorded since `since` (the migration's time; a test database is made now, after the history). */
const recordingSince = (db: Db, since: Date) => db.run('UPDATE schema_migrations SET applied_at = $1::TIMESTAMP WHERE id = 25', [sql(since)]);

/**
 * b (vip, £200): high since 10 days ago, before the window.  a (£100): high 6 to 3 days ago (a second high
 * point at 5 days is no new start).  c (£50): high from 5 days ago until the scorer dropped it 2 days ago.
 * d (£80): 0.45 from v0002 4 days ago, high in v0002's bands.  e (£30): high from 6.5 days ago, cancelled a
 * day ago (its score is still stored: no scoring since).  f (£10): medium all along.
 */
async function history(): Promise<TempDb> {
	const d = await tempDb();
	await insertCustomers(d.db, [
		aCustomer().withId('a').worth(100).build(),
		aCustomer().withId('b').inSegment('vip').worth(200).build(),
		aCustomer().withId('c').worth(50).build(),
		aCustomer().withId('d').worth(80).build(),
		aCustomer().withId('e').worth(30).build(),
		aCustomer().withId('f').worth(10).build()
	]);
	await point(d.db, 'b', 'v0001', 0.65, ago(10));
	await point(d.db, 'f', 'v0001', 0.35, ago(8));
	await point(d.db, 'e', 'v0001', 0.9, ago(6.5));
	await point(d.db, 'a', 'v0001', 0.7, ago(6));
	await point(d.db, 'a', 'v0001', 0.72, ago(5));
	await point(d.db, 'c', 'v0001', 0.8, ago(5));
	await point(d.db, 'd', 'v0002', 0.45, ago(4));
	await point(d.db, 'a', 'v0001', 0.5, ago(3));
	await d.db.run('INSERT INTO score_removals (customer_id, removed_at) VALUES ($1, $2::TIMESTAMP)', ['c', sql(ago(2))]);
	await current(d.db, 'a', 'v0001', 0.5, 'medium', ago(3));
	await current(d.db, 'b', 'v0001', 0.65, 'high', ago(10));
	await current(d.db, 'd', 'v0002', 0.45, 'high', ago(4));
	await current(d.db, 'e', 'v0001', 0.9, 'high', ago(6.5));
	await current(d.db, 'f', 'v0001', 0.35, 'medium', ago(8));
	await d.db.run(
		`INSERT INTO customer_state (customer_id, first_seen_at, last_seen_at, last_event_id, last_event_type, last_channel, event_count,
			purchase_count, purchase_value, last_purchase_at, refund_count, refund_value, support_count, complaint_count, cancelled_at, updated_at)
		 VALUES ('e', $1::TIMESTAMP, $2::TIMESTAMP, 'x', 'cancellation', 'web', 2, 1, 30, $1::TIMESTAMP, 0, 0, 0, 0, $2::TIMESTAMP, $2::TIMESTAMP)`,
		[sql(ago(20)), sql(ago(1))]
	);
	await recordingSince(d.db, ago(30));
	return d;
}

/** At-risk customers and revenue at `at`, from the spans in history()'s comment. */
function byHand(at: Date, segment: string | null): { n: number; revenue: number } {
	const spans = [
		{ id: 'b', seg: 'vip', value: 200, from: 10, until: -1 },
		{ id: 'a', seg: 'default', value: 100, from: 6, until: 3 },
		{ id: 'c', seg: 'default', value: 50, from: 5, until: 2 },
		{ id: 'd', seg: 'default', value: 80, from: 4, until: -1 },
		{ id: 'e', seg: 'default', value: 30, from: 6.5, until: 1 }
	].filter((s) => (segment === null || s.seg === segment) && at >= ago(s.from) && at < ago(s.until));
	return { n: spans.length, revenue: spans.reduce((sum, s) => sum + s.value, 0) };
}

const tiles = (db: Db, segment: string | null = null) =>
	computeTileSet(db, { window: '7d', now: NOW, channel: null, segment, metrics: ['at_risk_customers', 'at_risk_revenue'], sparklineWaitMs: Infinity });

describe('at-risk tiles drawn from the score history', () => {
	it('each point is the count and revenue at risk at that moment; the last is the tile', async () => {
		t = await history();
		const set = await tiles(t.db);
		const moments = trailingWindows('7d', NOW).map((w) => w.to);
		const customers = set.tiles.find((x) => x.id === 'at_risk_customers')!;
		const revenue = set.tiles.find((x) => x.id === 'at_risk_revenue')!;
		// b and d now: e has cancelled, a is medium, c was dropped.
		expect([customers.value, revenue.value]).toEqual([2, 280]);
		expect(customers.sparkline).toEqual([...moments.slice(0, -1).map((m) => byHand(m, null).n), 2]);
		expect(revenue.sparkline).toEqual([...moments.slice(0, -1).map((m) => byHand(m, null).revenue), 280]);
		// The history moves (1 at the start, 5 at the peak): a flat line would not show the moments differ.
		expect(Math.min(...(customers.sparkline as number[]))).toBe(1);
		expect(Math.max(...(customers.sparkline as number[]))).toBe(5);
		expect(customers.sparkline.at(-2)).toBe(byHand(ago(0.25), null).n);
	});

	it('keeps to the segment, and draws the same line under every channel', async () => {
		t = await history();
		const vip = await tiles(t.db, 'vip');
		const line = vip.tiles.find((x) => x.id === 'at_risk_revenue')!.sparkline;
		expect(line).toEqual(Array(28).fill(200));
		const app = await computeTileSet(t.db, { window: '7d', now: NOW, channel: 'app', segment: null, metrics: ['at_risk_customers'], sparklineWaitMs: Infinity });
		expect(app.tiles[0].sparkline).toEqual((await tiles(t.db)).tiles[0].sparkline);
	});

	it('no point before removals were recorded, and no line when the history holds nothing before now', async () => {
		t = await history();
		// Recording began 2 days ago: earlier moments cannot tell a dropped customer from one still scored.
		await recordingSince(t.db, ago(2));
		const later = (await tiles(t.db)).tiles[0].sparkline;
		const moments = trailingWindows('7d', NOW).map((w) => w.to);
		expect(later).toEqual(moments.map((m, i) => (i === moments.length - 1 ? 2 : m < ago(2) ? null : byHand(m, null).n)));

		forgetTrailingSparklines(t.db);
		await recordingSince(t.db, ago(30));
		await t.db.run('DELETE FROM score_history');
		await t.db.run('DELETE FROM score_removals');
		const none = (await tiles(t.db)).tiles;
		expect(none.map((x) => [x.value, x.sparkline])).toEqual([
			[2, []],
			[280, []]
		]);
	});

	it('a score from a version the registry no longer holds gives no point rather than a guessed band', async () => {
		t = await history();
		await point(t.db, 'f', 'v0009', 0.99, ago(1.5));
		const line = (await tiles(t.db)).tiles[0].sparkline;
		const moments = trailingWindows('7d', NOW).map((w) => w.to);
		expect(line).toEqual(moments.map((m, i) => (i === moments.length - 1 ? 2 : m >= ago(1.5) ? null : byHand(m, null).n)));
	});
});

describe('the at-risk metric page draws the same history', () => {
	const drill = async (db: Db, metric: string, scope: { channel?: string | null; segment?: string | null } = {}) => {
		const r = await computeDrilldown(db, metric, { window: '7d', channel: scope.channel ?? null, segment: scope.segment ?? null }, { now: NOW });
		if (!r.ok) throw new Error(r.error);
		return r.value;
	};

	it('each point is the count and revenue at risk at that moment, 6 h apart; the last is the tile', async () => {
		t = await history();
		const moments = trailingWindows('7d', NOW).map((w) => w.to);
		const customers = await drill(t.db, 'at_risk_customers');
		expect(customers.series).toEqual({ kind: 'moments', stepMs: 6 * 3_600_000, allChannels: false });
		expect(customers.points.map((p) => p.at)).toEqual(moments.map((m) => m.toISOString()));
		expect(customers.points.map((p) => p.value)).toEqual([...moments.slice(0, -1).map((m) => byHand(m, null).n), 2]);
		expect(customers.tile.value).toBe(2);
		// 1 at the start (b alone), 5 at the peak (a, b, c, d, e): the moments are told apart.
		expect(customers.points.map((p) => p.value)).toContain(5);
		const revenue = await drill(t.db, 'at_risk_revenue');
		expect(revenue.points.map((p) => p.value)).toEqual([...moments.slice(0, -1).map((m) => byHand(m, null).revenue), 280]);
		// One reader: the page's line is the tile's sparkline.
		expect(customers.points.map((p) => p.value)).toEqual((await tiles(t.db)).tiles[0].sparkline);
	});

	it("keeps to the page's segment, and says a channel filter does not split it", async () => {
		t = await history();
		const vip = await drill(t.db, 'at_risk_revenue', { segment: 'vip' });
		expect(vip.points.map((p) => p.value)).toEqual(Array(28).fill(200));
		const app = await drill(t.db, 'at_risk_customers', { channel: 'app' });
		expect(app.series).toEqual({ kind: 'moments', stepMs: 6 * 3_600_000, allChannels: true });
		expect(app.points).toEqual((await drill(t.db, 'at_risk_customers')).points);
	});

	it('says from when scores are recorded while the history has no earlier point, and when none are', async () => {
		t = await history();
		// Recording began 2.4 h ago, after the last earlier moment (6 h before the end).
		await recordingSince(t.db, ago(0.1));
		const young = await drill(t.db, 'at_risk_customers');
		expect(young.series).toEqual({ kind: 'awaiting', stepMs: 6 * 3_600_000, recordedFrom: ago(0.1).toISOString() });
		expect(young.points).toEqual([]);
		await t.db.run('DELETE FROM score_history');
		expect((await drill(t.db, 'at_risk_revenue')).series).toEqual({ kind: 'awaiting', stepMs: 6 * 3_600_000, recordedFrom: null });
	});

	it('says the history cannot be told when the model versions that gave it are gone', async () => {
		t = await history();
		const empty = mkdtempSync(join(tmpdir(), 'cx-risk-history-none-'));
		overrideConfig({ modelsDir: empty });
		try {
			const d = await drill(t.db, 'at_risk_customers');
			expect(d.points).toEqual([]);
			expect(d.series.kind === 'none' && d.series.note).toMatch(/^The churn score history gives at-risk customers no point in this window: .*model versions no longer in the registry/);
		} finally {
			overrideConfig({ modelsDir: models });
			rmSync(empty, { recursive: true, force: true });
		}
	});
});
