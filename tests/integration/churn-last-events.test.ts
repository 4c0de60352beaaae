// readLastEvents must give exactly what a row_number() window gives (the definition it replaced):
// the last N events per customer before the cutoff, oldest first, ties in time ordered by hash(event_id).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../helpers/temp-db';
import { readLastEvents } from '../../src/lib/server/churn/last-events';

let t: TempDb;
const AS_OF = Date.UTC(2025, 5, 1);
const SEQ = 8;

beforeAll(async () => {
	t = await tempDb();
	// 300 customers with 0..40 events each; many share a millisecond (ties), some lie after the cutoff,
	// types and channels partly outside the vocabulary, values and ratings partly NULL.
	await t.db.run(
		`INSERT INTO events (event_id, customer_id, occurred_at, channel, type, value, rating, source, ingested_at)
		 SELECT 'ev-' || c || '-' || k, 'cust-' || c,
		        epoch_ms(CAST($asof AS BIGINT) - 86400000 * 3 + ((c * 7919 + k * 104729) % 7) * 43200000),
		        ['web', 'app', 'phone', 'kiosk'][1 + (c + k) % 4],
		        ['visit', 'purchase', 'complaint', 'mystery'][1 + (c * 3 + k) % 4],
		        CASE WHEN k % 3 = 0 THEN NULL ELSE k * 1.5 END,
		        CASE WHEN k % 5 = 0 THEN 1 + k % 5 END,
		        'test', now()
		 FROM range(300) r1(c), range(40) r2(k) WHERE k < c % 41`,
		{ asof: AS_OF }
	);
});

afterAll(async () => {
	await t?.cleanup();
});

describe('readLastEvents', () => {
	it('equals the row_number() window definition on every customer, ties included', async () => {
		await t.db.connect(async (conn) => {
			await conn.run(
				`CREATE OR REPLACE TEMP TABLE churn_pop AS
				 SELECT customer_id, CAST(row_number() OVER (ORDER BY customer_id) - 1 AS INTEGER) AS pidx
				 FROM (SELECT DISTINCT customer_id FROM events)`
			);
			await conn.run(
				`CREATE OR REPLACE TEMP TABLE churn_vocab AS
				 SELECT * FROM (VALUES ('type', 'visit', 1), ('type', 'purchase', 2), ('type', 'complaint', 3),
				                       ('channel', 'web', 1), ('channel', 'app', 2), ('channel', 'phone', 3)) v(kind, name, idx)`
			);
			const n = Number((await (await conn.runAndReadAll('SELECT count(*) AS n FROM churn_pop')).getRowObjectsJS())[0].n);
			const got = await readLastEvents(conn, n, AS_OF, SEQ);

			const want = (
				await conn.runAndReadAll(
					`SELECT pidx, CAST(epoch_ms(occurred_at) AS DOUBLE) AS t, coalesce(vt.idx, 0) AS ti, coalesce(vc.idx, 0) AS ci,
					        value, CAST(rating AS DOUBLE) AS rating
					 FROM (SELECT p.pidx, e.*, row_number() OVER (PARTITION BY p.pidx ORDER BY e.occurred_at DESC, hash(e.event_id) DESC) AS rn
					       FROM events e JOIN churn_pop p USING (customer_id) WHERE e.occurred_at < epoch_ms(CAST($asof AS BIGINT))) x
					 LEFT JOIN churn_vocab vt ON vt.kind = 'type' AND vt.name = x.type
					 LEFT JOIN churn_vocab vc ON vc.kind = 'channel' AND vc.name = x.channel
					 WHERE rn <= $seq ORDER BY pidx, rn DESC`,
					{ asof: AS_OF, seq: SEQ }
				)
			).getRowObjectsJS() as { pidx: number; t: number; ti: number; ci: number; value: number | null; rating: number | null }[];

			const ties = await conn.runAndReadAll(
				`SELECT count(*) AS n FROM (SELECT customer_id, occurred_at FROM events GROUP BY ALL HAVING count(*) > 1)`
			);
			expect(Number(ties.getRowObjectsJS()[0].n)).toBeGreaterThan(50);

			expect(got.offsets[n]).toBe(want.length);
			const rows = Array.from({ length: want.length }, (_, i) => ({
				t: got.time[i],
				ti: got.type[i],
				ci: got.channel[i],
				value: Number.isNaN(got.value[i]) ? null : got.value[i],
				rating: Number.isNaN(got.rating[i]) ? null : got.rating[i]
			}));
			expect(rows).toEqual(want.map(({ t, ti, ci, value, rating }) => ({ t, ti, ci, value, rating })));
			for (let i = 0; i < n; i++) {
				const per = want.filter((w) => w.pidx === i).length;
				expect(got.offsets[i + 1] - got.offsets[i]).toBe(per);
			}
		});
	});

	it('refuses a sequence length that is not a positive integer', async () => {
		await t.db.connect(async (conn) => {
			await expect(readLastEvents(conn, 0, AS_OF, 0)).rejects.toThrow(/positive integer/);
		});
	});
});
