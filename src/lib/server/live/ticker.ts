// One ticker per process: once per tick, if the rollups changed (rollup_version moves after every
// committed ingest batch) or the minute rolled over (windows slide), it recomputes the tile set of
// every scope someone is watching and publishes ONE `tiles` payload to every subscriber.
import type { Db } from '../db';
import { log } from '../log';
import { computeTileSet } from '../metrics/tiles';
import type { ChurnOptions } from '../metrics/customer-queries';
import { loadRollupVersion } from '../metrics/rollup-queries';
import { scopeKey, type TileScope, type TileSet } from '../../shared/live-events';
import { liveHub, type LiveHub } from './hub';

export const HEARTBEAT_MS = 15_000;

interface Watched {
	scope: TileScope;
	refs: number;
}

export class Ticker {
	private timer: NodeJS.Timeout | null = null;
	private heartbeat: NodeJS.Timeout | null = null;
	private readonly scopes = new Map<string, Watched>();
	private lastVersion = -1;
	private lastMinute = -1;
	private dirty = false;
	private running: Promise<void> | null = null;
	private sets: Record<string, TileSet> = {};
	/** Ticks that recomputed (for tests and benchmarks). */
	computations = 0;

	constructor(
		private readonly db: Db,
		private readonly tickMs: number,
		private readonly churn: ChurnOptions,
		private readonly hub: LiveHub = liveHub(),
		/** Clock for the minute-rollover check (tests pin it). */
		private readonly clock: () => number = Date.now
	) {}

	start(): void {
		if (this.timer) return;
		// Unref'd: the HTTP server keeps the process alive; the ticker must not keep it from exiting.
		this.timer = setInterval(() => void this.tick(), this.tickMs).unref();
		this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS).unref();
	}

	/** Resolves when the tick in progress, if any, has ended (its tile reads may link activity: a write). */
	async stop(): Promise<void> {
		if (this.timer) clearInterval(this.timer);
		if (this.heartbeat) clearInterval(this.heartbeat);
		this.timer = this.heartbeat = null;
		await this.running;
	}

	beat(): void {
		this.hub.heartbeat();
	}

	/** Watch a scope until the returned release is called; its first tile set is computed promptly. */
	watch(scope: TileScope): () => void {
		const key = scopeKey(scope);
		const w = this.scopes.get(key);
		if (w) w.refs += 1;
		else {
			this.scopes.set(key, { scope, refs: 1 });
			this.dirty = true;
			setTimeout(() => void this.tick(), 0);
		}
		let released = false;
		return () => {
			if (released) return;
			released = true;
			const cur = this.scopes.get(key);
			if (cur && --cur.refs <= 0) this.scopes.delete(key);
		};
	}

	/** Latest computed set of a scope, if any. */
	latest(scope: TileScope): TileSet | undefined {
		return this.sets[scopeKey(scope)];
	}

	/** One tick; concurrent calls share the run in progress. */
	tick(): Promise<void> {
		this.running ??= this.run().finally(() => (this.running = null));
		return this.running;
	}

	private async run(): Promise<void> {
		try {
			if (!this.scopes.size) return;
			const { version } = await loadRollupVersion(this.db);
			const minute = Math.floor(this.clock() / 60_000);
			if (!this.dirty && version === this.lastVersion && minute === this.lastMinute) return;
			this.dirty = false;
			const sets: Record<string, TileSet> = {};
			for (const [key, w] of this.scopes)
				sets[key] = await computeTileSet(this.db, { ...w.scope, churn: this.churn });
			this.lastVersion = version;
			this.lastMinute = minute;
			this.sets = sets;
			this.computations += 1;
			this.hub.publish('tiles', { sets });
		} catch (err) {
			this.dirty = true;
			log.error(`ticker: ${err instanceof Error ? err.message : String(err)}`);
		}
	}
}

const KEY = Symbol.for('cx-command.ticker');
type WithTicker = typeof globalThis & { [KEY]?: Ticker };

export function startTicker(db: Db, tickMs: number, churn: ChurnOptions): Ticker {
	const g = globalThis as WithTicker;
	g[KEY] ??= new Ticker(db, tickMs, churn);
	g[KEY].start();
	return g[KEY];
}

/** The running ticker, or undefined before the startup step ran. */
export function runningTicker(): Ticker | undefined {
	return (globalThis as WithTicker)[KEY];
}
