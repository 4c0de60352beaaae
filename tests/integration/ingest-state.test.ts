// customer_state maintained incrementally equals customer_state recomputed from the raw events,
// after a random workload of batches with repeats, out-of-order times and ties.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_TYPES, CHANNELS, RATING_RANGES, type StandardEventType } from '../../src/lib/shared/events';
import { ingestEvents } from '../../src/lib/server/ingest';
import { tempDb, type TempDb } from '../helpers/temp-db';
import { anEvent } from '../fixtures/events';

let t: TempDb;
beforeEach(async () => {
	t = await tempDb();
});
afterEach(async () => {
	await t.cleanup();
});

/** Small deterministic PRNG so a failure can be replayed. */
function rng(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

const RECOMPUTE = `
SELECT customer_id, min(occurred_at) AS first_seen_at, max(occurred_at) AS last_seen_at,
	arg_max(event_id, (occurred_at, event_id)) AS last_event_id,
	arg_max(type, (occurred_at, event_id)) AS last_event_type,
	arg_max(channel, (occurred_at, event_id)) AS last_channel,
	count(*) AS event_count, count(*) FILTER (WHERE type = 'purchase') AS purchase_count,
	round(coalesce(sum(value) FILTER (WHERE type = 'purchase'), 0), 6) AS purchase_value,
	max(occurred_at) FILTER (WHERE type = 'purchase') AS last_purchase_at,
	count(*) FILTER (WHERE type = 'refund') AS refund_count,
	round(coalesce(sum(value) FILTER (WHERE type = 'refund'), 0), 6) AS refund_value,
	count(*) FILTER (WHERE type = 'support_opened') AS support_count,
	count(*) FILTER (WHERE type = 'complaint') AS complaint_count,
	max(occurred_at) FILTER (WHERE type = 'cancellation') AS cancelled_at
FROM events GROUP BY customer_id ORDER BY customer_id`;

const STORED = `
SELECT customer_id, first_seen_at, last_seen_at, last_event_id, last_event_type, last_channel, event_count,
	purchase_count, round(purchase_value, 6) AS purchase_value, last_purchase_at, refund_count,
	round(refund_value, 6) AS refund_value, support_count, complaint_count, cancelled_at
FROM customer_state ORDER BY customer_id`;

describe('customer_state', () => {
	it('equals a recomputation from raw events after a random workload', async () => {
		const rand = rng(20241125);
		const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
		const sent: ReturnType<ReturnType<typeof anEvent>['build']>[] = [];
		for (let b = 0; b < 12; b++) {
			const batch = [];
			for (let i = 0; i < 150; i++) {
				if (sent.length && rand() < 0.1) {
					batch.push(pick(sent)); // a repeat of an earlier event
					continue;
				}
				const type = pick(EVENT_TYPES) as StandardEventType;
				const range = RATING_RANGES[type];
				// Minute resolution over a few days makes equal timestamps (ties) common.
				const at = new Date(Date.UTC(2024, 0, 1) + Math.floor(rand() * 3 * 24 * 60) * 60_000);
				let e = anEvent().withCustomer(`c${Math.floor(rand() * 25)}`).withType(type).withChannel(pick(CHANNELS)).at(at);
				if (rand() < 0.5) e = e.withoutId();
				if (range) e = e.withRating(range[0] + Math.floor(rand() * (range[1] - range[0] + 1)));
				if (type === 'purchase' || type === 'refund') e = e.withValue(Math.round(rand() * 10000) / 100);
				if (type.startsWith('support')) e = e.withTicket(`t${Math.floor(rand() * 40)}`, `a${Math.floor(rand() * 3)}`);
				batch.push(e.build());
			}
			const r = await ingestEvents(t.db, batch, { source: 'workload' });
			expect(r.ok).toBe(true);
			sent.push(...batch);
		}
		const recomputed = await t.db.all(RECOMPUTE);
		const stored = await t.db.all(STORED);
		expect(stored.length).toBeGreaterThan(20);
		expect(stored).toEqual(recomputed);
	});
});
