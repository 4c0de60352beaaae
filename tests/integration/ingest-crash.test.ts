// kill -9 during sustained concurrent ingest, several rounds: after restart every acknowledged event is
// stored exactly once, every batch whose answer never arrived is stored whole or not at all, re-sent
// batches count as duplicates, and the derived state (customer_state, rollups) matches the raw events.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import type { EventInput } from '../../src/lib/shared/events';
import { startServer, type TestServer } from '../helpers/server';
import { anEvent, aPurchase, aSurvey, toNdjson } from '../fixtures/events';

const SEED = 8_2026;
const ROUNDS = 5;
const POSTERS = 3;
const BATCH = 150;
const CUSTOMERS = 40;

const dir = mkdtempSync(join(tmpdir(), 'cx-ingest-crash-'));
const dbPath = join(dir, 'cx.duckdb');
let srv: TestServer | undefined;
afterAll(async () => {
	await srv?.stop({ keepDir: true }).catch(() => undefined);
	await shutdownDb(dbPath).catch(() => undefined);
	rmSync(dir, { recursive: true, force: true });
});

/** Small deterministic PRNG so a failing run can be replayed (kill moments and batch contents). */
function rng(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}
const rand = rng(SEED);

interface Batch {
	name: string;
	events: EventInput[];
}

function buildBatch(name: string): Batch {
	const events: EventInput[] = [];
	for (let i = 0; i < BATCH; i++) {
		const customer = `cc${Math.floor(rand() * CUSTOMERS)}`;
		// Within the last two hours at second resolution: several batches share minutes and customers.
		const at = new Date(Math.floor((Date.now() - rand() * 2 * 3600_000) / 1000) * 1000);
		const r = rand();
		const b =
			r < 0.15
				? aPurchase(customer, Math.round(rand() * 10_000) / 100)
				: r < 0.25
					? anEvent().withCustomer(customer).withType('complaint')
					: r < 0.35
						? aSurvey('survey_csat', 1 + Math.floor(rand() * 5)).withCustomer(customer)
						: anEvent().withCustomer(customer).withType('visit');
		events.push(b.withId(`${name}-${i}`).at(at).withChannel(rand() < 0.5 ? 'web' : 'app').build());
	}
	return { name, events };
}

type Outcome = { kind: 'acked' } | { kind: 'unknown'; error: string } | { kind: 'refused'; status: number; body: string };

async function post(url: string, key: string, b: Batch): Promise<{ status: number; body: unknown }> {
	const r = await fetch(`${url}/api/v1/events`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${key}` },
		body: toNdjson(b.events)
	});
	return { status: r.status, body: r.status === 200 ? await r.json() : await r.text() };
}

describe('ingest under repeated kill -9', () => {
	it('stores every acknowledged event exactly once and keeps derived state consistent', async () => {
		const setup = await getDb(dbPath);
		const k = await createApiKey(setup, { scope: 'ingest', createdBy: 'crash-test' });
		await shutdownDb(dbPath);
		if (!k.ok) throw new Error('could not create an ingest key');
		const key = k.value.token;

		const batches = new Map<string, Batch>();
		const outcome = new Map<string, Outcome>();
		let resentAcked = 0;
		const retried = { alreadyStored: 0, new: 0 };

		// Re-sends after a restart: acknowledged batches must be all duplicates; a batch whose answer was
		// lost must be either wholly stored already (all duplicates) or wholly new (all accepted).
		const resend = async (url: string) => {
			const acked = [...outcome].filter(([, o]) => o.kind === 'acked').map(([n]) => n);
			for (let i = 0; i < 3 && acked.length; i++) {
				const b = batches.get(acked[Math.floor(rand() * acked.length)])!;
				const r = await post(url, key, b);
				expect(r, `re-sent acknowledged batch ${b.name}`).toEqual({ status: 200, body: { accepted: 0, duplicates: BATCH } });
				resentAcked += 1;
			}
			const unknown = [...outcome].filter(([, o]) => o.kind === 'unknown').map(([n]) => n);
			for (const name of unknown.filter((_, i) => i % 2 === 0)) {
				const r = await post(url, key, batches.get(name)!);
				expect(r.status, `retried batch ${name}`).toBe(200);
				expect([{ accepted: 0, duplicates: BATCH }, { accepted: BATCH, duplicates: 0 }], `retried batch ${name}`).toContainEqual(
					r.body
				);
				outcome.set(name, { kind: 'acked' });
				if ((r.body as { accepted: number }).accepted === 0) retried.alreadyStored += 1;
				else retried.new += 1;
			}
		};

		const started = Date.now();
		for (let round = 0; round < ROUNDS; round++) {
			srv = await startServer({ dir });
			const url = srv.url;
			await resend(url);

			let stop = false;
			const poster = async (p: number) => {
				for (let n = 0; !stop; n++) {
					const b = buildBatch(`r${round}-p${p}-b${n}`);
					batches.set(b.name, b);
					try {
						const r = await post(url, key, b);
						if (r.status === 200) {
							expect(r.body, `answer for ${b.name}`).toEqual({ accepted: BATCH, duplicates: 0 });
							outcome.set(b.name, { kind: 'acked' });
						} else outcome.set(b.name, { kind: 'refused', status: r.status, body: String(r.body) });
					} catch (e) {
						stop = true;
						// Refused: the server was already gone, the batch never left. Anything else (reset,
						// closed mid-answer): the server may or may not have committed it.
						if ((e as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') batches.delete(b.name);
						else outcome.set(b.name, { kind: 'unknown', error: String(e) });
					}
				}
			};
			const posters = Array.from({ length: POSTERS }, (_, p) => poster(p));
			// Kill at a seeded moment while the posters keep several requests in flight.
			await new Promise((r) => setTimeout(r, 400 + Math.floor(rand() * 1600)));
			await srv.kill();
			stop = true;
			await Promise.all(posters);
		}

		// Last restart: re-send, then a graceful stop so the test process can open the file.
		srv = await startServer({ dir });
		await resend(srv.url);
		await srv.stop({ keepDir: true });
		srv = undefined;

		const all = [...outcome];
		const acked = all.filter(([, o]) => o.kind === 'acked').map(([n]) => n);
		const unknown = all.filter(([, o]) => o.kind === 'unknown').map(([n]) => n);
		const refused = all.filter(([, o]) => o.kind === 'refused');
		expect(refused, 'no batch may be refused (all are valid)').toEqual([]);

		const db = await getDb(dbPath);
		try {
			const perBatch = await db.all<{ batch: string; n: number; distinct_ids: number }>(
				`SELECT regexp_extract(event_id, '^(r\\d+-p\\d+-b\\d+)-\\d+$', 1) AS batch, count(*) AS n,
					count(DISTINCT event_id) AS distinct_ids
				FROM events GROUP BY batch ORDER BY batch`
			);
			const stored = new Map(perBatch.map((r) => [r.batch, r]));
			const dupes = await db.one<{ n: number }>('SELECT count(*) - count(DISTINCT event_id) AS n FROM events');
			const total = await db.one<{ n: number }>('SELECT count(*) AS n FROM events');
			const unknownStored = unknown.filter((n) => stored.has(n)).length;
			console.log(
				JSON.stringify({
					crash_test: true,
					seed: SEED,
					rounds: ROUNDS,
					posters: POSTERS,
					batch_events: BATCH,
					batches_acked: acked.length,
					events_acked: acked.length * BATCH,
					batches_unknown_left: unknown.length,
					unknown_stored_whole: unknownStored,
					unknown_absent: unknown.length - unknownStored,
					unknown_retried_already_stored: retried.alreadyStored,
					unknown_retried_new: retried.new,
					acked_resent_as_duplicates: resentAcked,
					events_stored: total?.n,
					duplicate_event_ids: dupes?.n,
					seconds: Math.round((Date.now() - started) / 100) / 10
				})
			);

			expect(dupes?.n).toBe(0);
			expect(stored.has(''), 'no event outside the test batches').toBe(false);
			for (const n of acked) expect(stored.get(n), `acknowledged batch ${n}`).toEqual({ batch: n, n: BATCH, distinct_ids: BATCH });
			for (const n of unknown) {
				const s = stored.get(n);
				if (s) expect(s, `unknown batch ${n} stored whole`).toEqual({ batch: n, n: BATCH, distinct_ids: BATCH });
			}
			// Every stored batch is one the test sent, and was either acknowledged or unknown.
			for (const b of stored.keys()) expect(outcome.get(b)?.kind, `stored batch ${b}`).toMatch(/^(acked|unknown)$/);
			expect(acked.length).toBeGreaterThan(ROUNDS * POSTERS);

			// Derived state equals a recomputation from the raw events.
			expect(await db.all(STATE_STORED)).toEqual(await db.all(STATE_RECOMPUTED));
			expect(await db.all(MINUTE_STORED)).toEqual(await db.all(MINUTE_RECOMPUTED));
			expect(await db.all(CUSTOMER_DAY_STORED)).toEqual(await db.all(CUSTOMER_DAY_RECOMPUTED));
		} finally {
			await shutdownDb(dbPath);
		}
	}, 150_000);
});

// Same comparison as tests/integration/ingest-state.test.ts (customer_state vs raw events).
const STATE_RECOMPUTED = `
SELECT customer_id, min(occurred_at) AS first_seen_at, max(occurred_at) AS last_seen_at,
	arg_max(event_id, (occurred_at, event_id)) AS last_event_id,
	arg_max(type, (occurred_at, event_id)) AS last_event_type,
	arg_max(channel, (occurred_at, event_id)) AS last_channel,
	count(*) AS event_count, count(*) FILTER (WHERE type = 'purchase') AS purchase_count,
	round(coalesce(sum(value) FILTER (WHERE type = 'purchase'), 0), 6) AS purchase_value,
	max(occurred_at) FILTER (WHERE type = 'purchase') AS last_purchase_at,
	count(*) FILTER (WHERE type = 'complaint') AS complaint_count
FROM events GROUP BY customer_id ORDER BY customer_id`;
const STATE_STORED = `
SELECT customer_id, first_seen_at, last_seen_at, last_event_id, last_event_type, last_channel, event_count,
	purchase_count, round(purchase_value, 6) AS purchase_value, last_purchase_at, complaint_count
FROM customer_state ORDER BY customer_id`;

// Per-minute counters, summed over segments (a customer's segment is the one it had on arrival).
const MINUTE_RECOMPUTED = `
SELECT date_trunc('minute', occurred_at) AS minute, channel, count(*) AS events,
	count(*) FILTER (WHERE type = 'purchase') AS purchases,
	round(coalesce(sum(value) FILTER (WHERE type = 'purchase'), 0), 6) AS purchase_value,
	count(*) FILTER (WHERE type = 'complaint') AS complaints,
	count(*) FILTER (WHERE type = 'survey_csat') AS csat_n,
	count(*) FILTER (WHERE type = 'survey_csat' AND rating >= 4) AS csat_good
FROM events GROUP BY ALL ORDER BY minute, channel`;
const MINUTE_STORED = `
SELECT minute, channel, sum(events)::BIGINT AS events, sum(purchases)::BIGINT AS purchases,
	round(sum(purchase_value), 6) AS purchase_value, sum(complaints)::BIGINT AS complaints,
	sum(csat_n)::BIGINT AS csat_n, sum(csat_good)::BIGINT AS csat_good
FROM rollup_minute GROUP BY ALL HAVING sum(events) > 0 ORDER BY minute, channel`;

const CUSTOMER_DAY_RECOMPUTED = `
SELECT occurred_at::DATE AS day, customer_id, channel, count(*) AS acts,
	count(*) FILTER (WHERE type = 'purchase') AS purchases
FROM events GROUP BY ALL ORDER BY day, customer_id, channel`;
const CUSTOMER_DAY_STORED = `
SELECT day, customer_id, channel, sum(acts)::BIGINT AS acts, sum(purchases)::BIGINT AS purchases
FROM rollup_customer_day GROUP BY ALL ORDER BY day, customer_id, channel`;
