// Stores a generated history through the ingest path (the same validation, dedupe and appliers as
// every other source), chunk by chunk, reporting progress.
import type { RecordError } from '../../shared/events';
import type { Db } from '../db';
import { ingestEvents, upsertCustomers } from '../ingest';
import { createHistoryRun, type HistoryOptions } from './history';
import type { DemoWorld } from './world';

export interface SeedProgress {
	day: number;
	days: number;
	events: number;
	customers: number;
	elapsedMs: number;
}

export interface SeedSummary {
	customers: number;
	events: number;
	accepted: number;
	duplicates: number;
	ms: number;
	/**
	 * The generator's world at the end of the history, hidden state included (who has quietly given up,
	 * scheduled follow-ups). A live stream started right after seeding continues it; rebuilt from the
	 * database later, part of that state can only be estimated (load-world.ts).
	 */
	world: DemoWorld;
}

export type SeedResult = { ok: true; value: SeedSummary } | { ok: false; error: string };

function describe(what: string, errors: RecordError[], sample: unknown[]): string {
	const first = errors.slice(0, 3).map((e) => `#${e.index} ${e.field}: ${e.message}`);
	const rec = errors[0] ? JSON.stringify(sample[errors[0].index]) : '';
	return `demo ${what} rejected by ingest (a bug in the demo generator): ${first.join('; ')}${rec ? ` — record ${rec}` : ''}`;
}

/** Generates and stores `customers` customers and their last `days` days ending at `end` (default now). */
export async function seedDemoHistory(
	db: Db,
	opts: HistoryOptions,
	onProgress?: (p: SeedProgress) => void,
	signal?: AbortSignal
): Promise<SeedResult> {
	const started = Date.now();
	const run = createHistoryRun(opts);
	const total = { customers: 0, events: 0, accepted: 0, duplicates: 0 };
	for (const chunk of run.chunks()) {
		// Stopping between chunks leaves whole, committed chunks behind; seeding again completes it.
		if (signal?.aborted) return { ok: false, error: `stopped after ${total.events} events` };
		if (chunk.customers.length > 0) {
			const c = await upsertCustomers(db, chunk.customers);
			if (!c.ok) return { ok: false, error: describe('customers', c.errors, chunk.customers) };
			total.customers += chunk.customers.length;
		}
		if (chunk.events.length > 0) {
			const r = await ingestEvents(db, chunk.events, { source: 'demo' });
			if (!r.ok) return { ok: false, error: describe('events', r.errors, chunk.events) };
			total.events += chunk.events.length;
			total.accepted += r.value.accepted;
			total.duplicates += r.value.duplicates;
		}
		onProgress?.({ day: chunk.day, days: chunk.days, events: total.events, customers: total.customers, elapsedMs: Date.now() - started });
	}
	return { ok: true, value: { ...total, ms: Date.now() - started, world: run.world } };
}

/** Events of the demo world with this seed already stored (0: not seeded yet). */
export async function countDemoEvents(db: Db, seed: number): Promise<number> {
	const row = await db.one<{ n: number }>('SELECT count(*) AS n FROM events WHERE starts_with(event_id, $1)', [`demo-${seed}-`]);
	return row?.n ?? 0;
}
