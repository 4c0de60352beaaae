// The server checkpoints once a minute when something was written (and once when it stops). DuckDB keeps
// rows committed since the last checkpoint, and the index entries they added, in memory until a
// checkpoint; with the large automatic threshold ingest needs (ingest/tuning.ts) a live server's memory
// grew with every stored event. `npx tsx bench/memory-probe.ts` (600,000 events in 5,000-event batches, load 1–2): without
// checkpoints RSS 532 MB with the index (68 MB) and un-checkpointed rows (163 MB) still growing; with a
// checkpoint every 120,000 events RSS 374 MB, each checkpoint 0.41–0.47 s, during which ingest commits wait.
// At debug level each checkpoint logs the process's memory before and after (db/memory.ts), which is
// how an operator tells DuckDB's cache and un-checkpointed rows from the rest of RSS.
import { log } from '../log';
import { onShutdown } from '../shutdown';
import type { StartupStep } from '../startup';
import type { Db } from './database';
import { readMemory, type MemoryReading } from './memory';

const EVERY_MS = 60_000;

async function writesSince(db: Db): Promise<number> {
	const r = await db.one<{ v: number }>('SELECT version AS v FROM rollup_version WHERE id = 1');
	return Number(r?.v ?? 0);
}

function memoryFields(before: MemoryReading, after: MemoryReading) {
	return {
		rss_mb_before: before.rssMb,
		rss_mb: after.rssMb,
		js_heap_mb: after.jsHeapMb,
		external_mb: after.externalMb,
		duckdb_mb_before: before.duckdbTotalMb,
		duckdb_mb_after: after.duckdbTotalMb,
		duckdb_tags_before: before.duckdbMb
	};
}

export const checkpointerStep: StartupStep = {
	name: 'checkpointer',
	async run(db) {
		let seen = await writesSince(db);
		let stopped = false;
		const timer = setInterval(() => {
			void (async () => {
				const v = await writesSince(db);
				if (v === seen || stopped) return;
				const debug = log.enabled('debug');
				const before = debug ? await readMemory(db) : null;
				const t = performance.now();
				await db.checkpoint();
				seen = v;
				if (before) log.debug(`checkpoint in ${Math.round(performance.now() - t)} ms`, memoryFields(before, await readMemory(db)));
			})().catch((e: unknown) => log.warn(`checkpoint skipped: ${e instanceof Error ? e.message : String(e)}`));
		}, EVERY_MS);
		timer.unref();
		// A graceful stop writes everything into the file now, while the process still catches signals, and
		// after every writer has stopped (shutdown.ts), so nothing is left for DuckDB to write while Node exits,
		// when a second copy of the signal (Ctrl-C reaches the server from the terminal and again from npm;
		// systemd signals every process of the unit) kills the process midway and leaves a .wal behind.
		onShutdown({
			name: 'checkpoint',
			phase: 'checkpoint',
			stop: async () => {
				stopped = true;
				clearInterval(timer);
				await db.checkpoint();
			}
		});
	}
};
