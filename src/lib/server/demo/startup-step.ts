// Server start: with CX_DEMO on, seed an empty database in the background (the server answers
// meanwhile), then stream live events. A database that already has events is never seeded again, and
// one whose data is not the demo's gets no demo at all (database-fit.ts).
import { config, type Config } from '../config';
import type { Db } from '../db';
import { beginHistoryLoad } from '../ingest/history-load';
import { log } from '../log';
import { onShutdown } from '../shutdown';
import type { StartupStep } from '../startup';
import { demoFit, otherDataText } from './database-fit';
import { startLiveDemo, type StopLive } from './live';
import { seedDemoHistory } from './seed-history';
import type { DemoWorld } from './world';

interface Running {
	stop: StopLive | null;
	done: Promise<void>;
	abort: AbortController;
}
// On globalThis so a second copy of this module (dev server reloads) never starts a second stream.
const KEY = Symbol.for('cx-command.demo');
type WithDemo = typeof globalThis & { [KEY]?: Running | null };
const holder = globalThis as WithDemo;

/** Starts the demo for this process (once); resolves as soon as the work is under way. */
export async function startDemo(db: Db, cfg: Config): Promise<void> {
	if (!cfg.demo || holder[KEY]) return;
	let needsSeed: boolean;
	try {
		const fit = await demoFit(db);
		if (fit.kind === 'other') {
			log.info(`demo: not started: ${otherDataText(fit)}; set CX_DEMO=off to silence this`);
			return;
		}
		needsSeed = fit.kind === 'empty';
	} catch (e) {
		// The demo is a convenience: it must never keep the server from starting.
		log.error(`demo: not started: ${e instanceof Error ? e.message : String(e)}`);
		return;
	}
	const state: Running = { stop: null, done: Promise.resolve(), abort: new AbortController() };
	holder[KEY] = state;
	// When the server stops, a running batch finishes first, before the final checkpoint.
	onShutdown({ name: 'demo', phase: 'writers', stop: stopDemo });
	// Marked before this returns, so no alert tick or scoring round starts on the first seeded days.
	const endLoad = needsSeed ? beginHistoryLoad() : () => undefined;
	state.done = (async () => {
		let seeded: DemoWorld | undefined;
		if (needsSeed) {
			log.info(`demo: seeding ${cfg.demoCustomers} customers x ${cfg.demoDays} days (seed ${cfg.demoSeed}) into an empty database`);
			let lastLog = 0;
			const r = await seedDemoHistory(
				db,
				{ customers: cfg.demoCustomers, days: cfg.demoDays, seed: cfg.demoSeed },
				(p) => {
					const pct = Math.floor((100 * p.day) / p.days);
					if (pct >= lastLog + 10 || p.day === p.days) {
						lastLog = pct;
						log.info(`demo: seeded day ${p.day}/${p.days} (${pct} %), ${p.events} events, ${(p.elapsedMs / 1000).toFixed(1)} s`);
					}
				},
				state.abort.signal
			).finally(endLoad);
			if (!r.ok) {
				if (state.abort.signal.aborted) log.warn(`demo: seeding interrupted by shutdown (${r.error}); the database keeps this partial history and is not seeded again: to start over, stop the server and delete ${cfg.dbPath}`);
				else log.error(`demo: seeding failed, live stream not started: ${r.error}`);
				return;
			}
			log.info(`demo: seeded ${r.value.customers} customers and ${r.value.accepted} events in ${(r.value.ms / 1000).toFixed(1)} s`);
			seeded = r.value.world;
		}
		if (cfg.demoRate > 0 && !state.abort.signal.aborted) state.stop = await startLiveDemo(db, { rate: cfg.demoRate, seed: cfg.demoSeed, world: seeded });
	})().catch((e: unknown) => {
		log.error(`demo: stopped by an error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
	});
}

/** Stops seeding (after the chunk being stored) and the live stream. */
export async function stopDemo(): Promise<void> {
	const r = holder[KEY];
	if (!r) return;
	r.abort.abort();
	await r.done;
	await r.stop?.();
	holder[KEY] = null;
}

/** STARTUP_STEPS entry: returns at once; seeding and streaming continue in the background. */
export const demoStep: StartupStep = {
	name: 'demo',
	run: (db) => startDemo(db, config())
};
