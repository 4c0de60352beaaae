// The churn counters read rollup_activity's previous-activity pointers; on a random workload ingested
// in shuffled batches (so records arrive late and re-link stored ones) they must equal a recomputation
// of the definition from the raw events, for every scope, window, horizon and kind of loss.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { appendEvents, insertCustomers } from '../../../../tests/fixtures/alerts-db';
import { aCustomer, aStoredEvent, type EventRow } from '../../../../tests/fixtures/alerts';
import type { Channel, EventType } from '../../shared/events';
import type { WindowId } from '../../shared/format';
import { loadChurnCounters, type LostBy } from './customer-queries';
import { catchUpActivity } from './rollup-activity';
import { rollupApplier } from './rollup-applier';
import { trailingWindows } from './trailing-history';
import { ts, windowBounds } from './windows';

const NOW = new Date('2026-03-01T12:00:20Z');
const DAY = 86_400_000;

function prng(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

const CHANNELS: Channel[] = ['web', 'app', 'email'];
const TYPES: EventType[] = ['visit', 'visit', 'purchase', 'complaint', 'cancellation'];

function randomWorkload(seed: number): EventRow[] {
	const rnd = prng(seed);
	const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
	const events: EventRow[] = [];
	for (let i = 0; i < 900; i++) {
		// Mostly the last 75 days, many at window and horizon edges (whole minutes, days), some a second
		// record in the same minute on another channel; a few busy customers and many sparse ones.
		const edge = rnd() < 0.4;
		const ago = edge
			? pick([1, 2, 3, 4, 7, 8, 9, 14, 21, 30, 31, 32, 37, 44, 60]) * DAY - pick([0, 60_000, -60_000, 40_000, 20_000])
			: rnd() * 75 * DAY;
		const customer = rnd() < 0.5 ? `c${Math.floor(rnd() * 8)}` : `c${8 + Math.floor(rnd() * 32)}`;
		const e = aStoredEvent()
			.forCustomer(customer)
			.withType(pick(TYPES))
			.onChannel(pick(CHANNELS))
			.at(new Date(Math.floor((NOW.getTime() - ago) / 1000) * 1000));
		events.push(e.build());
		if (rnd() < 0.15) events.push(e.withId(`dup-${i}`).withType('visit').onChannel(pick(CHANNELS)).build());
	}
	return events;
}

let t: TempDb;
let events: EventRow[];

beforeAll(async () => {
	t = await tempDb();
	await insertCustomers(
		t.db,
		Array.from({ length: 40 }, (_, i) => aCustomer().withId(`c${i}`).inSegment(i % 3 === 0 ? 'vip' : 'default').build())
	);
	events = randomWorkload(7);
	// Shuffled batches: each batch has events older than ones already linked. The links catch up
	// after one batch or after two, as ticks would.
	const rnd = prng(11);
	const shuffled = [...events].sort(() => rnd() - 0.5);
	for (let i = 0; i < shuffled.length; i += 100) {
		await appendEvents(t.db, shuffled.slice(i, i + 100), [rollupApplier]);
		if (i % 300 !== 100) expect(await catchUpActivity(t.db)).toBeGreaterThan(0);
	}
	await catchUpActivity(t.db);
	expect(await catchUpActivity(t.db)).toBe(0);
}, 60_000);
afterAll(async () => {
	await t.cleanup();
});

interface Expected {
	active_at_start: number;
	lost_customers: number;
}

/** The definition of DESIGN §4, straight from the events table. */
async function recompute(
	from: Date,
	to: Date,
	scope: { channel: string | null; segment: string | null },
	inactivityDays: number,
	lostBy: LostBy
): Promise<Expected> {
	const h = Math.max(inactivityDays * DAY, to.getTime() - from.getTime());
	const r = await t.db.one<{ s: number; i: number; c: number; e: number }>(
		`WITH ev AS (
			SELECT e.customer_id, e.occurred_at AS occ, e.type FROM events e JOIN customers c USING (customer_id)
			WHERE ($channel::TEXT IS NULL OR e.channel = $channel::TEXT) AND ($segment::TEXT IS NULL OR c.segment = $segment::TEXT)
		), per AS (
			SELECT customer_id,
				bool_or(type <> 'cancellation' AND occ >= $sH::TIMESTAMP AND occ < $from::TIMESTAMP) AS s,
				bool_or(type <> 'cancellation' AND occ >= $sH::TIMESTAMP AND occ < $eH::TIMESTAMP)
					AND NOT bool_or(type <> 'cancellation' AND occ >= $eH::TIMESTAMP AND occ < $to::TIMESTAMP) AS i,
				bool_or(type = 'cancellation' AND occ >= $from::TIMESTAMP AND occ < $to::TIMESTAMP) AS c
			FROM ev GROUP BY customer_id
		)
		SELECT count(*) FILTER (WHERE s)::INTEGER AS s, count(*) FILTER (WHERE i)::INTEGER AS i,
			count(*) FILTER (WHERE c)::INTEGER AS c, count(*) FILTER (WHERE c OR i)::INTEGER AS e FROM per`,
		{
			channel: scope.channel,
			segment: scope.segment,
			sH: ts(new Date(from.getTime() - h)),
			eH: ts(new Date(to.getTime() - h)),
			from: ts(from),
			to: ts(to)
		}
	);
	const lost = lostBy === 'either' ? r!.e : lostBy === 'inactivity' ? r!.i : r!.c;
	return { active_at_start: r!.s, lost_customers: lost };
}

describe('churn counters over rollup_activity', () => {
	it('the workload has customers lost both ways, some of them both ways at once', async () => {
		const kinds = { either: 0, inactivity: 0, cancellation: 0, overlap: 0 };
		for (const w of ['24h', '7d', '30d'] as const) {
			const b = windowBounds(w, NOW);
			for (const days of [30, 2]) {
				const [e, i, c] = await Promise.all(
					(['either', 'inactivity', 'cancellation'] as const).map((k) => recompute(b.from, b.to, { channel: null, segment: null }, days, k))
				);
				kinds.either += e.lost_customers;
				kinds.inactivity += i.lost_customers;
				kinds.cancellation += c.lost_customers;
				kinds.overlap += i.lost_customers + c.lost_customers - e.lost_customers;
			}
		}
		expect(kinds.inactivity).toBeGreaterThan(0);
		expect(kinds.cancellation).toBeGreaterThan(0);
		expect(kinds.overlap).toBeGreaterThan(0);
	});

	it('stored previous-activity pointers equal a recomputation from the events', async () => {
		const diff = await t.db.all(
			`WITH k AS (
				SELECT DISTINCT date_trunc('minute', e.occurred_at) AS minute, e.customer_id, e.channel, c.segment
				FROM events e JOIN customers c USING (customer_id) WHERE e.type <> 'cancellation'
			), want AS (
				SELECT minute, customer_id, channel, segment,
					lag(minute) OVER (PARTITION BY customer_id ORDER BY minute, channel, segment) AS p_all,
					lag(minute) OVER (PARTITION BY customer_id, channel ORDER BY minute, segment) AS p_ch,
					lag(minute) OVER (PARTITION BY customer_id, segment ORDER BY minute, channel) AS p_seg,
					lag(minute) OVER (PARTITION BY customer_id, channel, segment ORDER BY minute) AS p_cs
				FROM k
			)
			(SELECT * FROM want EXCEPT ALL SELECT * FROM rollup_activity)
			UNION ALL
			(SELECT * FROM rollup_activity EXCEPT ALL SELECT * FROM want)`
		);
		expect(diff).toEqual([]);
		const lastDiff = await t.db.all(
			`WITH want AS (
				SELECT customer_id, 0::TINYINT AS kind, channel, segment, max(minute) AS minute FROM rollup_activity GROUP BY ALL
				UNION ALL SELECT customer_id, 1::TINYINT, channel, '', max(minute) FROM rollup_activity GROUP BY ALL
				UNION ALL SELECT customer_id, 2::TINYINT, '', segment, max(minute) FROM rollup_activity GROUP BY ALL
				UNION ALL SELECT customer_id, 3::TINYINT, '', '', max(minute) FROM rollup_activity GROUP BY ALL
			)
			(SELECT * FROM want EXCEPT ALL SELECT * FROM rollup_activity_last)
			UNION ALL
			(SELECT * FROM rollup_activity_last EXCEPT ALL SELECT * FROM want)`
		);
		expect(lastDiff).toEqual([]);
		const n = await t.db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM rollup_activity');
		expect(n!.n).toBeGreaterThan(400);
	});

	const scopes = [
		{ channel: null, segment: null },
		{ channel: 'app', segment: null },
		{ channel: null, segment: 'vip' },
		{ channel: 'web', segment: 'default' }
	];
	const windows: WindowId[] = ['1h', '24h', '7d', '30d'];
	it.each(windows)('equal the definition recomputed from raw events (%s window, every scope, horizon and kind)', async (w) => {
		const b = windowBounds(w, NOW);
		const pair = [
			{ from: b.from, to: b.to },
			{ from: b.prevFrom, to: b.from }
		];
		for (const scope of scopes) {
			for (const inactivityDays of [30, 2]) {
				for (const lostBy of ['either', 'inactivity', 'cancellation'] as const) {
					const got = await loadChurnCounters(t.db, pair, scope, { inactivityDays, lostBy });
					const want = await Promise.all(pair.map((iv) => recompute(iv.from, iv.to, scope, inactivityDays, lostBy)));
					expect(got, JSON.stringify({ w, scope, inactivityDays, lostBy })).toEqual(want);
				}
			}
		}
	});

	it.each(['24h', '30d'] as const)('equal the definition for the many overlapping windows of a drill-down chart (%s)', async (w) => {
		// 24 or 30 windows in one call: shared boundaries, spans repeated across windows, cancellers in several.
		const many = trailingWindows(w, NOW);
		for (const scope of scopes) {
			for (const lostBy of ['either', 'inactivity', 'cancellation'] as const) {
				const got = await loadChurnCounters(t.db, many, scope, { inactivityDays: 30, lostBy });
				const want = await Promise.all(many.map((iv) => recompute(iv.from, iv.to, scope, 30, lostBy)));
				expect(got, JSON.stringify({ w, scope, lostBy })).toEqual(want);
			}
		}
	});
});
