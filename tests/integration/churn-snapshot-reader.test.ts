// A batch score reads its population in parts (withSnapshotReader): every part, and any picked set of
// customers, must equal the same customers' rows of the whole snapshot read at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_CHANNELS, BASE_TYPES } from '../../src/lib/server/churn/definitions';
import { loadSnapshot, RAW_STATIC_NAMES, withSnapshotReader, type RawSnapshot, type SnapshotQuery } from '../../src/lib/server/churn/snapshot';
import { ingestEvents } from '../../src/lib/server/ingest';
import { aSubscriptionWorld } from '../fixtures/subscriptions';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb;
const query: SnapshotQuery = {
	asOf: new Date('2024-06-01T00:00:00Z'),
	horizonDays: 30,
	definition: 'inactivity',
	withLabels: true,
	types: [...BASE_TYPES],
	channels: BASE_CHANNELS,
	seqLen: 16
};

beforeAll(async () => {
	t = await tempDb();
	const events = aSubscriptionWorld().withCustomers(80).from('2024-01-01').forDays(200).withSeed(4).withSilentLeaving(0.3).build();
	expect((await ingestEvents(t.db, events, { source: 'test', now: new Date('2025-01-01T00:00:00Z') })).ok).toBe(true);
});

afterAll(async () => {
	await t.cleanup();
});

/** Customer i of `raw` as plain values, for comparison across snapshots. */
function customer(raw: RawSnapshot, i: number) {
	const a = raw.offsets[i];
	const b = raw.offsets[i + 1];
	const width = raw.typeCounts.length / raw.ids.length;
	return {
		id: raw.ids[i],
		time: Array.from(raw.evTime.subarray(a, b)),
		type: Array.from(raw.evType.subarray(a, b)),
		channel: Array.from(raw.evChannel.subarray(a, b)),
		value: Array.from(raw.evValue.subarray(a, b)),
		rating: Array.from(raw.evRating.subarray(a, b)),
		stat: RAW_STATIC_NAMES.map((s) => raw.stat[s][i]),
		typeCounts: Array.from(raw.typeCounts.subarray(i * width, (i + 1) * width)),
		label: raw.labels?.[i]
	};
}

describe('snapshot reader', () => {
	it('parts and picks equal the whole snapshot, customer by customer', async () => {
		const whole = await loadSnapshot(t.db, query);
		const n = whole.ids.length;
		expect(n).toBeGreaterThan(40);
		expect(whole.offsets[n]).toBeGreaterThan(n * 4);
		const expected = whole.ids.map((_, i) => customer(whole, i));

		await withSnapshotReader(t.db, query, async (reader) => {
			expect(reader.ids).toEqual(whole.ids);
			const got: ReturnType<typeof customer>[] = [];
			for (let from = 0; from < n; from += 17) {
				const part = await reader.range(from, from + 17);
				expect(part.ids).toEqual(whole.ids.slice(from, from + 17));
				part.ids.forEach((_, i) => got.push(customer(part, i)));
			}
			expect(got).toEqual(expected);

			const picked = await reader.pick([n - 1, 3, 0, 3, 20]);
			expect(picked.ids).toEqual([0, 3, 20, n - 1].map((p) => whole.ids[p]));
			expect(picked.ids.map((_, i) => customer(picked, i))).toEqual([0, 3, 20, n - 1].map((p) => expected[p]));

			// The whole range after the temp table exists reads from it, with the same result.
			const again = await reader.range(0, n);
			expect(again.ids.map((_, i) => customer(again, i))).toEqual(expected);
		});
	});

	it('a whole snapshot read in parts equals one read in one piece, arrays included', async () => {
		const whole = await loadSnapshot(t.db, query);
		const inParts = await loadSnapshot(t.db, query, 17);
		expect(inParts.ids).toEqual(whole.ids);
		expect(inParts.offsets).toEqual(whole.offsets);
		for (const k of ['evTime', 'evType', 'evChannel', 'evValue', 'evRating', 'typeCounts', 'labels'] as const) expect(inParts[k]).toEqual(whole[k]);
		for (const s of RAW_STATIC_NAMES) expect(inParts.stat[s]).toEqual(whole.stat[s]);
		expect({ ...inParts, stat: null }).toEqual({ ...whole, stat: null });
	});
});
