// The server's background debt recompute after tolerance settings are saved (Settings form, PUT
// /api/v1/alerts/tolerance). The save answers at once; the recompute (debt-recompute.ts) then runs chunk
// by chunk under the write lock ingest commits under, and reports on the `debt-recompute` live event.
// One recompute at a time per process: a save while one runs queues the next (its segments merged), so
// the last settings saved are always the ones the debt ends up computed with.
import type { Db } from '../db';
import { liveHub } from '../live/hub';
import { log } from '../log';
import type { DebtRecomputePayload } from '../live/events';
import { recomputeDebt } from './debt-recompute';
import { ANY_SEGMENT } from './tolerance-settings';

interface JobState {
	running: boolean;
	/** Segments waiting for the next run; null = every customer; undefined = nothing waiting. */
	queued: string[] | null | undefined;
	latest: DebtRecomputePayload | null;
	/** Resolves when the current run and those queued behind it are done (tests, shutdown). */
	idle: Promise<void>;
}

const KEY = Symbol.for('cx-command.debt-recompute');
type WithJob = typeof globalThis & { [KEY]?: JobState };

function state(): JobState {
	const g = globalThis as WithJob;
	g[KEY] ??= { running: false, queued: undefined, latest: null, idle: Promise.resolve() };
	return g[KEY];
}

/** '*' holds the defaults of every segment without its own row, so saving it may change anyone's debt. */
function segmentsOf(segment: string): string[] | null {
	return segment === ANY_SEGMENT ? null : [segment];
}

function merge(a: string[] | null | undefined, b: string[] | null): string[] | null {
	if (a === undefined) return b;
	if (a === null || b === null) return null;
	return [...new Set([...a, ...b])].sort();
}

function publish(s: JobState, p: Omit<DebtRecomputePayload, 'at'>): void {
	s.latest = { ...p, at: new Date().toISOString() };
	liveHub().publish('debt-recompute', s.latest);
}

async function runQueued(db: Db, s: JobState): Promise<void> {
	while (s.queued !== undefined) {
		const segments = s.queued;
		s.queued = undefined;
		publish(s, { state: 'running', segments, done: 0, total: null, message: null });
		try {
			const r = await recomputeDebt(db, {
				segments: segments ?? undefined,
				onProgress: (p) => publish(s, { state: 'running', segments, done: p.done, total: p.total, message: null })
			});
			publish(s, { state: 'done', segments, done: r.customers, total: r.customers, message: null });
			log.info(`debt recompute: ${r.customers} customers (${segments?.join(', ') ?? 'all segments'}) in ${r.seconds.toFixed(1)} s`);
		} catch (e) {
			const message = e instanceof Error ? e.message : String(e);
			publish(s, { state: 'failed', segments, done: s.latest?.done ?? 0, total: s.latest?.total ?? null, message });
			log.warn(`debt recompute failed (${segments?.join(', ') ?? 'all segments'}): ${message}; run npm run cx -- recompute-debt to retry`);
		}
	}
}

/**
 * Recomputes, in the background, the debt of the customers a save of `segment`'s settings may change.
 * Returns at once; never throws (a failure is logged and published).
 */
export function scheduleDebtRecompute(db: Db, segment: string): void {
	const s = state();
	s.queued = merge(s.queued, segmentsOf(segment));
	if (s.running) return;
	s.running = true;
	s.idle = runQueued(db, s).finally(() => {
		s.running = false;
	});
}

/** The latest recompute's progress in this process (the Settings page shows it on load); null if none ran. */
export function debtRecomputeStatus(): DebtRecomputePayload | null {
	return state().latest;
}

/** Resolves once no recompute is running or queued. */
export function debtRecomputeIdle(): Promise<void> {
	return state().idle;
}
