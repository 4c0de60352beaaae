// The alert evaluation loop run by the server: metric rules every tick, customer rules once a
// minute (they scan customer state). Overlapping ticks are skipped, never queued.
import type { Db } from '../db';
import { log } from '../log';
import { evaluateAlerts } from './evaluate';
import { computeRuleTiles, type RuleTiles } from './rule-tiles';
import { listRules } from './rules';
import { loadRollupVersion } from '../metrics/rollup-queries';
import { processDueDeliveries } from './webhooks';
import { historyLoading } from '../ingest/history-load';
import { firingListPublisher } from './firing-now';

export const CUSTOMER_RULES_EVERY_MS = 60_000;
/** After new events arrive, customer rules run again at most this often (alerts within seconds of ingest). */
export const CUSTOMER_RULES_AFTER_INGEST_MS = 2_000;

export interface AlertLoop {
	/** No tick starts after this; resolves when the tick in progress (if any) has ended (server shutdown). */
	stop: () => Promise<void>;
	/** Runs one tick now (tests, admin "evaluate now"). */
	tick: (customers?: boolean) => Promise<void>;
}

export function startAlertLoop(db: Db, tickMs: number): AlertLoop {
	let running: Promise<void> | null = null;
	let stopped = false;
	let lastCustomers = 0;
	let seenVersion = -1;
	// A tick that hit its per-tick item limit leaves the rest for the next tick, not the next minute.
	let backlog = false;
	const publishFiringList = firingListPublisher(db);
	const tick = (forceCustomers = false): Promise<void> => {
		// Nothing is judged on a half-loaded history; the first tick after the load catches up.
		if (running || stopped || historyLoading()) return Promise.resolve();
		running = run(forceCustomers).finally(() => {
			running = null;
		});
		return running;
	};
	const run = async (forceCustomers: boolean) => {
		try {
			const now = Date.now();
			const version = (await loadRollupVersion(db)).version;
			const since = now - lastCustomers;
			const customers =
				forceCustomers ||
				backlog ||
				since >= CUSTOMER_RULES_EVERY_MS ||
				(version !== seenVersion && since >= CUSTOMER_RULES_AFTER_INGEST_MS);
			let tiles: RuleTiles = { values: new Map(), samples: new Map() };
			let tileError: string | null = null;
			try {
				tiles = await computeRuleTiles(db, await listRules(db), new Date(now));
			} catch (e) {
				tileError = e instanceof Error ? e.message : String(e);
			}
			const r = await evaluateAlerts(db, tiles.values, { now, customers, tileError, samples: tiles.samples });
			await publishFiringList();
			if (customers) {
				lastCustomers = now;
				seenVersion = version;
				backlog = r.backlog;
			}
			if (r.opened.length)
				log.info(
					`alerts: ${r.opened.length} work item(s) opened` +
						(r.pendingAlerts ? `; ${r.pendingAlerts.toLocaleString('en-US')} more to open in the next ticks` : '')
				);
			const sent = await processDueDeliveries(db);
			if (sent.failed) log.warn(`alerts: ${sent.failed} webhook delivery(ies) failed for good`);
		} catch (e) {
			log.warn(`alerts: tick failed: ${e instanceof Error ? e.message : String(e)}`);
		}
	};
	const timer = setInterval(() => void tick(), Math.max(250, tickMs));
	timer.unref();
	void tick();
	return {
		stop: async () => {
			stopped = true;
			clearInterval(timer);
			// A tick writes work items, firings and deliveries: the final checkpoint must come after it.
			await running;
		},
		tick
	};
}
