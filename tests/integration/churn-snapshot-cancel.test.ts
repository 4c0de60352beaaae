// A snapshot read of a large history is interrupted when its run is cancelled or its server stops: the
// running DuckDB query ends at once instead of the stop waiting for it (minutes on millions of events).
// The history is written with plain SQL (1 M events, 20,000 customers): only its size matters here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_CHANNELS } from '../../src/lib/server/churn/definitions';
import { loadSnapshot, SNAPSHOT_CANCELLED, type SnapshotQuery } from '../../src/lib/server/churn/snapshot';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb;
const query: SnapshotQuery = {
	asOf: new Date('2024-10-01T00:00:00Z'),
	horizonDays: 30,
	definition: 'inactivity',
	withLabels: true,
	types: ['purchase', 'page_view', 'survey_csat'],
	channels: BASE_CHANNELS
};
let fullMs = 0;

beforeAll(async () => {
	t = await tempDb();
	await t.db.run(`INSERT INTO events (event_id, customer_id, occurred_at, channel, type, value, rating, source, ingested_at)
		SELECT 'e' || i, 'c' || (i % 20000), TIMESTAMP '2024-01-01' + to_seconds(i * 13 % 31536000), 'web',
			CASE i % 5 WHEN 0 THEN 'purchase' WHEN 1 THEN 'survey_csat' ELSE 'page_view' END,
			CASE WHEN i % 5 = 0 THEN 20.0 END, CASE WHEN i % 5 = 1 THEN 1 + i % 5 END, 'test', now()::TIMESTAMP
		FROM range(1000000) r(i)`);
	const started = performance.now();
	const full = await loadSnapshot(t.db, query);
	fullMs = performance.now() - started;
	expect(full.ids.length).toBe(20000);
}, 120_000);

afterAll(async () => {
	await t.cleanup();
});

describe('a cancelled snapshot read', () => {
	it('stops its running query at once and says it was cancelled', async () => {
		// The uninterrupted read must be long enough for "at once" to mean something.
		expect(fullMs).toBeGreaterThan(300);
		const abort = new AbortController();
		const started = performance.now();
		setTimeout(() => abort.abort(), 50);
		await expect(loadSnapshot(t.db, { ...query, signal: abort.signal })).rejects.toThrow(SNAPSHOT_CANCELLED);
		const took = performance.now() - started;
		expect(took).toBeLessThan(fullMs / 2);
	}, 60_000);

	it('reads nothing when the run was cancelled before it began, and the database serves the next read', async () => {
		const abort = new AbortController();
		abort.abort();
		await expect(loadSnapshot(t.db, { ...query, signal: abort.signal })).rejects.toThrow(SNAPSHOT_CANCELLED);
		expect((await loadSnapshot(t.db, { ...query, signal: new AbortController().signal })).ids.length).toBe(20000);
	}, 60_000);
});
