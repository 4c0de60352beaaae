// The live demo: continues the stored world in small batches with current timestamps at about
// `rate` events per second. The world runs more activity per customer than the history to reach
// the rate (intensity k), and only one experience in k counts towards debt, so ratios such as
// CSAT, complaint rate and response times keep their level while churn keeps its daily pace.
import type { Db } from '../db';
import { ingestEvents, upsertCustomers } from '../ingest';
import { log } from '../log';
import { createCustomer } from './customers';
import { loadWorld, naturalRateOf } from './load-world';
import { DAY_MS, hourActivity } from './time-profile';
import type { DemoWorld } from './world';

export interface LiveOptions {
	/** Target events per second. */
	rate: number;
	seed: number;
	/** The world to continue, fresh from seeding; without it the world is rebuilt from the database. */
	world?: DemoWorld;
	/** Batch period (default 500 ms). */
	intervalMs?: number;
	/** Called after each stored batch (CLI counters, tests). */
	onBatch?: (b: { accepted: number; duplicates: number; customers: number }) => void;
}

export type StopLive = () => Promise<void>;

/** Events per customer-day at intensity 1, used before the world has a measured rate. */
const NOMINAL_EVENTS_PER_CUSTOMER_DAY = 0.16;
/** New customers per active customer per day (scaled with activity, capped). */
const SIGNUPS_PER_CUSTOMER_DAY = 0.0012;
const STARTER_CUSTOMERS = 500;
const ADJUST_EVERY_MS = 5_000;

/**
 * The activity level that gives `rate` at `now`. The world's natural rate is a day's mean; the
 * hour of the day scales it (at 03:00 UTC a tenth of the mean), so without that factor a stream
 * started at night ran at a fifth of its rate until the steering caught up.
 */
export function startingIntensity(world: DemoWorld, rate: number, naturalRate: number, now: number): number {
	const alive = world.customers.filter((c) => c.state !== 'cancelled').length;
	const natural = (naturalRate > 0 ? naturalRate : (alive * NOMINAL_EVENTS_PER_CUSTOMER_DAY) / 86_400) * hourActivity(now);
	return natural > 0 ? Math.max(0.05, rate / natural) : 1;
}

/** Starts streaming; resolves once the world is loaded. The returned function stops it cleanly. */
export async function startLiveDemo(db: Db, opts: LiveOptions): Promise<StopLive> {
	const interval = opts.intervalMs ?? 500;
	const { world, naturalRate } = opts.world
		? { world: opts.world, naturalRate: await naturalRateOf(db, opts.seed, Date.now()) }
		: await loadWorld(db, opts.seed, Date.now());
	const alive = () => world.customers.filter((c) => c.state !== 'cancelled').length;
	if (alive() === 0) {
		// An empty database: start a small world so there is something to watch.
		const now = Date.now();
		for (let i = 0; i < STARTER_CUSTOMERS; i++) {
			const index = world.nextCustomerIndex;
			world.addCustomer(createCustomer(opts.seed, index, now - (1 + ((i * 7919) % 700)) * DAY_MS));
		}
		const r = await upsertCustomers(db, world.customers.map((c) => c.record));
		if (!r.ok) throw new Error(`demo customers rejected: ${JSON.stringify(r.errors.slice(0, 3))}`);
	}
	world.intensity = startingIntensity(world, opts.rate, naturalRate, Date.now());
	log.info(`demo live: ${alive()} customers, about ${opts.rate} events/s (activity x${world.intensity.toFixed(1)})`);

	let t0 = Date.now();
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	let inflight: Promise<void> = Promise.resolve();
	let windowStart = t0;
	let windowEvents = 0;
	let failures = 0;

	async function tick(): Promise<void> {
		const t1 = Date.now();
		if (t1 <= t0) return;
		const signups = world.rng.poisson(((alive() * SIGNUPS_PER_CUSTOMER_DAY * Math.min(world.intensity, 50)) * (t1 - t0)) / DAY_MS);
		for (let i = 0; i < signups; i++) world.scheduleSignup(t0 + Math.floor(world.rng.next() * (t1 - t0)));
		const step = world.advance(t0, t1);
		t0 = t1;
		if (step.customers.length > 0) {
			const c = await upsertCustomers(db, step.customers);
			if (!c.ok) throw new Error(`demo customers rejected by ingest: ${JSON.stringify(c.errors.slice(0, 3))}`);
		}
		let accepted = 0;
		let duplicates = 0;
		if (step.events.length > 0) {
			const r = await ingestEvents(db, step.events, { source: 'demo' });
			if (!r.ok) throw new Error(`demo events rejected by ingest: ${JSON.stringify(r.errors.slice(0, 3))}`);
			({ accepted, duplicates } = r.value);
		}
		windowEvents += step.events.length;
		if (t1 - windowStart >= ADJUST_EVERY_MS) {
			// Steer the activity level towards the target rate, gently (counts per window are noisy).
			const observed = windowEvents / ((t1 - windowStart) / 1000);
			const ratio = observed > 0 ? opts.rate / observed : 2;
			world.intensity = Math.max(0.05, world.intensity * Math.min(2, Math.max(0.5, Math.sqrt(ratio))));
			windowStart = t1;
			windowEvents = 0;
		}
		opts.onBatch?.({ accepted, duplicates, customers: step.customers.length });
	}

	function schedule(): void {
		if (stopped) return;
		timer = setTimeout(() => {
			inflight = tick()
				.then(() => {
					failures = 0;
				})
				.catch((e: unknown) => {
					// The server must keep running; repeated failures are logged, not thrown.
					failures++;
					if (failures <= 3 || failures % 100 === 0) log.error(`demo live: batch failed (${failures}x): ${e instanceof Error ? e.message : String(e)}`);
				})
				.finally(schedule);
		}, interval);
		// The stream alone must not keep a stopping server alive.
		timer.unref();
	}
	schedule();

	return async () => {
		stopped = true;
		if (timer) clearTimeout(timer);
		await inflight;
	};
}
