// Why the server checkpoints (db/checkpointer.ts): rows committed since the last checkpoint and the
// index entries they added stay in DuckDB's memory until a checkpoint writes them to the file; after
// it they are gone from memory and still in the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { readMemory } from '../../src/lib/server/db/memory';
import { ingestEvents } from '../../src/lib/server/ingest';
import { tuneForIngest } from '../../src/lib/server/ingest/tuning';
import { anEvent } from '../fixtures/events';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb;
beforeAll(async () => {
	t = await tempDb();
});
afterAll(async () => {
	await t.cleanup();
});

const heldInMemory = async () => {
	const m = await readMemory(t.db);
	// The reading's parts add up: listed tags never exceed DuckDB's total, which RSS contains.
	const listed = Object.values(m.duckdbMb).reduce((a, b) => a + b, 0);
	expect(listed).toBeLessThanOrEqual(m.duckdbTotalMb + 0.1);
	expect(m.rssMb).toBeGreaterThan(m.duckdbTotalMb);
	return (m.duckdbMb.ART_INDEX ?? 0) + (m.duckdbMb.IN_MEMORY_TABLE ?? 0);
};

describe('checkpoint', () => {
	it('moves committed rows and their index entries out of memory and keeps them', async () => {
		await tuneForIngest(t.db); // the server's large automatic threshold: no checkpoint on its own here
		const start = Date.UTC(2026, 0, 1);
		for (let b = 0; b < 4; b++) {
			const events = Array.from({ length: 5000 }, (_, i) =>
				anEvent()
					.withId(`ck-${b}-${i}`)
					.withCustomer(`c${i % 500}`)
					.at(new Date(start + (b * 5000 + i) * 1000))
					.build()
			);
			expect((await ingestEvents(t.db, events, { source: 'test' })).ok).toBe(true);
		}
		const before = await heldInMemory();
		expect(before).toBeGreaterThan(1);
		await t.db.checkpoint();
		expect(await heldInMemory()).toBeLessThan(before / 10);

		await shutdownDb(t.path);
		const reopened = await getDb(t.path);
		expect((await reopened.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM events'))?.n).toBe(20_000);
		t.db = reopened;
	});
});
