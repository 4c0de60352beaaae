// The seeded history: a world of `customers` customers, simulated day by day over the `days` whole UTC
// days before `end`'s day and that day up to `end`, handed out in chunks so nothing forces the whole
// history into memory.
import { createCustomer } from './customers';
import { debtAt } from './experience';
import { hashSeed, Rng } from './rng';
import { DAY_MS } from './time-profile';
import type { DemoCustomerRecord, DemoEvent } from './types';
import { DemoWorld } from './world';

export interface HistoryOptions {
	customers: number;
	days: number;
	seed: number;
	/** End of the history (exclusive); defaults to now. Pass it for reproducible output. */
	end?: Date;
	/** Events per chunk (a chunk also ends at the last day). */
	chunkSize?: number;
}

export interface HistoryChunk {
	/** Customers to upsert before this chunk's events: everyone at first, then each new signup. */
	customers: DemoCustomerRecord[];
	events: DemoEvent[];
	/** Simulated days completed so far, out of `days`. */
	day: number;
	days: number;
}

/** Share of the customers who sign up during the history; the rest were customers before it. */
export const NEW_CUSTOMER_SHARE = 0.2;
/** Earliest signup of a pre-existing customer, days before the history starts. */
const MAX_TENURE_DAYS = 3 * 365;

export interface HistoryRun {
	world: DemoWorld;
	start: number;
	end: number;
	chunks: () => Generator<HistoryChunk>;
}

/** Sets up the world; `chunks()` then simulates it. Tests use `world` to see the hidden truth. */
export function createHistoryRun(opts: HistoryOptions): HistoryRun {
	const end = (opts.end ?? new Date()).getTime();
	// Whole UTC days, then today up to `end`: two runs started on the same day simulate the same days
	// (the world follows the time of day, so a history shifted by minutes drew a different world).
	const midnight = Math.floor(end / DAY_MS) * DAY_MS;
	const start = midnight - opts.days * DAY_MS;
	const steps = opts.days + (end > midnight ? 1 : 0);
	const world = new DemoWorld({ seed: opts.seed });
	const rng = new Rng(hashSeed('history', opts.seed, opts.customers, opts.days));
	const newcomers = Math.round(opts.customers * NEW_CUSTOMER_SHARE);
	const initial: DemoCustomerRecord[] = [];
	for (let i = 1; i <= opts.customers - newcomers; i++) {
		const c = createCustomer(opts.seed, i, start - Math.floor(rng.uniform(1, MAX_TENURE_DAYS) * DAY_MS));
		// Long-standing customers carry some debt already; nobody starts beyond their limit.
		c.debt = c.tolerance * rng.uniform(0, 0.45) * rng.next();
		c.debtAt = start;
		world.addCustomer(c);
		initial.push(c.record);
	}
	const arrivals = Array.from({ length: newcomers }, () => start + Math.floor(rng.next() * (midnight - start))).sort((a, b) => a - b);
	for (const at of arrivals) world.scheduleSignup(at);

	function* chunks(): Generator<HistoryChunk> {
		const size = opts.chunkSize ?? 20_000;
		const progressEvery = Math.max(1, Math.ceil(opts.days / 10));
		let customers = initial;
		let events: DemoEvent[] = [];
		for (let day = 0; day < steps; day++) {
			const t0 = start + day * DAY_MS;
			const step = world.advance(t0, Math.min(end, t0 + DAY_MS));
			customers = customers.concat(step.customers);
			for (const e of step.events) events.push(e);
			// Also every ~10 % of the days, so progress moves even for small worlds; today's part counts
			// with the last whole day.
			const last = day === steps - 1;
			if (last || (day < opts.days - 1 && (events.length >= size || (day + 1) % progressEvery === 0))) {
				yield { customers, events, day: Math.min(day + 1, opts.days), days: opts.days };
				customers = [];
				events = [];
			}
		}
	}
	return { world, start, end, chunks };
}

/** Customers and events of the last `days` days before `end`, in time order, in chunks. */
export function generateHistory(opts: HistoryOptions): Generator<HistoryChunk> {
	return createHistoryRun(opts).chunks();
}

/** Debt of every customer at `t` (for diagnostics and tests). */
export function debtSnapshot(run: HistoryRun, t: number): Map<string, number> {
	return new Map(run.world.customers.map((c) => [c.id, debtAt(c, t)]));
}
