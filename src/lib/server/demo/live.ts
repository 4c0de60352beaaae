// The live demo: continues the stored world in small batches with current timestamps at about
// `rate` events per second. The world runs more activity per customer than the history to reach
// the rate (intensity k), and only one experience in k counts towards debt, so ratios such as
// CSAT, complaint rate and response times keep their level while churn keeps its daily pace. A world
// fresh from seeding first gets the support backlog such a stream would have (LiveStream.warmUp).
import type { Db } from '../db';
import { ingestEvents, upsertCustomers } from '../ingest';
import { log } from '../log';
import { expectedDailyOpenings } from './behaviour';
import { createCustomer } from './customers';
import { loadWorld, naturalRateOf } from './load-world';
import { activityMass, DAY_MS, HOUR_MS, hourActivity } from './time-profile';
import type { DemoCustomerRecord } from './types';
import type { AdvanceResult, DemoWorld } from './world';

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
/** The warm-up replays this many hours of tickets (5 % of the history's tickets are open longer, 15 % over 24 h). */
export const WARM_UP_HOURS = 48;
/**
 * About the most tickets the warm-up opens (a fifth of them are still in progress and stored, with
 * about two events each). 5,000 customers at 20 events/s open about 114,000 in 48 h: 47,000 events
 * to store, a few seconds. A higher rate gets a thinner backlog instead of minutes of work.
 */
const MAX_WARM_UP_TICKETS = 150_000;
/** Events per ingest call while storing the warm-up (the size of a seeding chunk). */
const WARM_UP_CHUNK = 20_000;

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

/**
 * The stream's clock-free core: `step(t1)` moves the world from the previous step's end to `t1` at
 * about `rate` events per second (signups, activity, steering of the intensity), `warmUp()` opens
 * the support backlog the stream would have had. startLiveDemo drives it with the wall clock, tests
 * with simulated time.
 */
export class LiveStream {
	private t0: number;
	private windowStart: number;
	private windowEvents = 0;

	constructor(
		readonly world: DemoWorld,
		private readonly rate: number,
		private readonly naturalRate: number,
		now: number
	) {
		world.intensity = startingIntensity(world, rate, naturalRate, now);
		this.t0 = now;
		this.windowStart = now;
	}

	/**
	 * The tickets still in progress that the stream would have had, had it run for the last
	 * WARM_UP_HOURS: events before the stream's start, in time order. Without them a stream answers
	 * and solves only a fraction of what it opens for its first day (see DemoWorld.warmUp).
	 */
	warmUp(): AdvanceResult {
		const { world, t0 } = this;
		// From a whole hour, so the desk's hourly load starts from a clean slate.
		const from = Math.floor(t0 / HOUR_MS - WARM_UP_HOURS) * HOUR_MS;
		const perDay = expectedDailyOpenings(world.customers);
		const hourly: number[] = [];
		let tickets = 0;
		for (let t = from; t < t0; t += HOUR_MS) {
			const k = startingIntensity(world, this.rate, this.naturalRate, t);
			hourly.push(k);
			tickets += perDay * k * activityMass(t, Math.min(t0, t + HOUR_MS));
		}
		const scale = tickets > MAX_WARM_UP_TICKETS ? MAX_WARM_UP_TICKETS / tickets : 1;
		return world.warmUp(from, t0, (t) => hourly[Math.floor((t - from) / HOUR_MS)] * scale);
	}

	step(t1: number): AdvanceResult {
		const { world, t0 } = this;
		if (t1 <= t0) return { events: [], customers: [] };
		const alive = world.customers.filter((c) => c.state !== 'cancelled').length;
		const signups = world.rng.poisson((alive * SIGNUPS_PER_CUSTOMER_DAY * Math.min(world.intensity, 50) * (t1 - t0)) / DAY_MS);
		for (let i = 0; i < signups; i++) world.scheduleSignup(t0 + Math.floor(world.rng.next() * (t1 - t0)));
		const step = world.advance(t0, t1);
		this.t0 = t1;
		this.windowEvents += step.events.length;
		if (t1 - this.windowStart >= ADJUST_EVERY_MS) {
			// Steer the activity level towards the target rate, gently (counts per window are noisy).
			const observed = this.windowEvents / ((t1 - this.windowStart) / 1000);
			const ratio = observed > 0 ? this.rate / observed : 2;
			world.intensity = Math.max(0.05, world.intensity * Math.min(2, Math.max(0.5, Math.sqrt(ratio))));
			this.windowStart = t1;
			this.windowEvents = 0;
		}
		return step;
	}
}

/**
 * A world whose every customer has cancelled gets a small new population, so there is something to
 * watch. They count as active now: live speeds up only customers active in the last LIVE_REACH_DAYS,
 * so starters who had never acted ran at the history's pace (500 of them, about 80 events a day: a
 * 150 s stream stored none, QA 2026-12-07).
 */
function addStarterCustomers(world: DemoWorld, seed: number, now: number): DemoCustomerRecord[] {
	const added: DemoCustomerRecord[] = [];
	for (let i = 0; i < STARTER_CUSTOMERS; i++) {
		const c = createCustomer(seed, world.nextCustomerIndex, now - (1 + ((i * 7919) % 700)) * DAY_MS);
		c.lastActiveAt = now;
		world.addCustomer(c);
		added.push(c.record);
	}
	return added;
}

/** Starts streaming; resolves once the world is loaded. The returned function stops it cleanly. */
export async function startLiveDemo(db: Db, opts: LiveOptions): Promise<StopLive> {
	const interval = opts.intervalMs ?? 500;
	const loaded = opts.world
		? { world: opts.world, naturalRate: await naturalRateOf(db, opts.seed, Date.now()) }
		: await loadWorld(db, opts.seed, Date.now());
	const { world } = loaded;
	let { naturalRate } = loaded;
	// Callers check demoFit first: the demo never adds its invented customers to a database without its world.
	if (world.customers.length === 0) throw new Error('this database holds no demo world to continue (seed one first: cx demo)');
	const alive = () => world.customers.filter((c) => c.state !== 'cancelled').length;
	if (alive() === 0) {
		const starters = addStarterCustomers(world, opts.seed, Date.now());
		const r = await upsertCustomers(db, starters);
		if (!r.ok) throw new Error(`demo customers rejected: ${JSON.stringify(r.errors.slice(0, 3))}`);
		// The last week's events came from customers who have all left: estimate from the newcomers.
		naturalRate = 0;
	}
	const stream = new LiveStream(world, opts.rate, naturalRate, Date.now());
	log.info(`demo live: ${alive()} customers, about ${opts.rate} events/s (activity x${world.intensity.toFixed(1)})`);
	if (opts.world) {
		// A world fresh from seeding has the history's few open tickets; a rebuilt one resumes the
		// stored stream's open tickets instead (load-world.ts).
		const warm = stream.warmUp();
		for (let i = 0; i < warm.events.length; i += WARM_UP_CHUNK) {
			const r = await ingestEvents(db, warm.events.slice(i, i + WARM_UP_CHUNK), { source: 'demo' });
			if (!r.ok) throw new Error(`demo events rejected by ingest: ${JSON.stringify(r.errors.slice(0, 3))}`);
		}
		log.info(`demo live: ${warm.events.length} events of tickets already in progress stored (support backlog of the last ${WARM_UP_HOURS} h at this rate)`);
	}

	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	let inflight: Promise<void> = Promise.resolve();
	let failures = 0;

	async function tick(): Promise<void> {
		const step = stream.step(Date.now());
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
