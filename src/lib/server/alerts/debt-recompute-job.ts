// The server's background debt recompute after tolerance settings are saved (Settings form, PUT
// /api/v1/alerts/tolerance). The save commits the recompute it owes (debt-recompute-pending.ts) and answers
// at once; this job then works through the owed recomputes (debt-recompute.ts) chunk by chunk under the
// write lock ingest commits under, and reports on the `debt-recompute` live event. One job per process,
// woken by each save and at start (debt-recompute-resume.ts); since it reads what is owed from the
// database, a save while it runs is picked up next, and a stopped server resumes where it was. A server
// that stops ends the job after the chunk in progress (stopDebtRecompute), before its final checkpoint.
import type { Db } from '../db';
import { liveHub } from '../live/hub';
import { log } from '../log';
import type { DebtRecomputePayload } from '../live/events';
import { recomputeDebt } from './debt-recompute';
import { pendingCursor, pendingRecomputes } from './debt-recompute-pending';

interface JobState {
	running: boolean;
	/** Woken while running: read what is owed again after a failure. */
	woken: boolean;
	latest: DebtRecomputePayload | null;
	/** The marker being recomputed ('*' = every customer) and the others owed, shown as waiting. */
	current: string | null;
	waiting: string[];
	/** Resolves when no recompute is owed or a run failed (tests, shutdown). */
	idle: Promise<void>;
	/** Aborted when the server stops: the job ends after the chunk in progress (its cursor says where). */
	stopping: AbortController;
}

const KEY = Symbol.for('cx-command.debt-recompute');
type WithJob = typeof globalThis & { [KEY]?: JobState };

function state(): JobState {
	const g = globalThis as WithJob;
	g[KEY] ??= { running: false, woken: false, latest: null, current: null, waiting: [], idle: Promise.resolve(), stopping: new AbortController() };
	return g[KEY];
}

function publish(s: JobState, p: Omit<DebtRecomputePayload, 'at' | 'waiting' | 'restarted'> & { restarted?: boolean }): void {
	s.latest = { restarted: false, ...p, waiting: s.waiting, at: new Date().toISOString() };
	liveHub().publish('debt-recompute', s.latest);
}

/** Reads which other segments are owed, so a save during a run is listed as waiting at once. */
async function refreshWaiting(db: Db, s: JobState): Promise<void> {
	s.waiting = (await pendingRecomputes(db)).map((p) => p.key).filter((k) => k !== s.current);
}

const whose = (segments: string[] | null) => segments?.join(', ') ?? 'all segments';

/** Works through the owed recomputes; stops at a failure, which stays owed for the next save or start. */
async function runPending(db: Db, s: JobState): Promise<void> {
	while (s.woken && !s.stopping.signal.aborted) {
		s.woken = false;
		for (;;) {
			const next = (await pendingRecomputes(db))[0];
			if (!next) break;
			const { segments } = next;
			s.current = next.key;
			await refreshWaiting(db, s);
			publish(s, { state: 'running', segments, done: 0, total: null, message: null });
			try {
				const r = await recomputeDebt(db, {
					segments: segments ?? undefined,
					cursor: pendingCursor(next),
					signal: s.stopping.signal,
					onProgress: (p) =>
						publish(s, { state: 'running', segments, done: p.done, total: p.total, message: null, restarted: p.restarted })
				});
				// Not ended: a save of everyone took it over, and is next.
				if (!r.ended) continue;
				s.current = null;
				await refreshWaiting(db, s);
				publish(s, { state: 'done', segments, done: r.customers, total: r.customers, message: null });
				log.info(`debt recompute: ${r.customers} customers (${whose(segments)}) in ${r.seconds.toFixed(1)} s`);
			} catch (e) {
				if (s.stopping.signal.aborted) {
					log.info(`debt recompute: paused for shutdown after ${s.latest?.done ?? 0} customers (${whose(segments)}); it goes on at the next start`);
					return;
				}
				const message = e instanceof Error ? e.message : String(e);
				publish(s, { state: 'failed', segments, done: s.latest?.done ?? 0, total: s.latest?.total ?? null, message });
				log.warn(`debt recompute failed (${whose(segments)}): ${message}; it is retried at the next save or server start, or run npm run cx -- recompute-debt`);
				break;
			}
		}
	}
}

/**
 * Wakes the background recompute of the debt the saved settings owe (already recorded by the save).
 * Returns at once; never throws (a failure is logged and published).
 */
export function scheduleDebtRecompute(db: Db): void {
	const s = state();
	// Stopping: what is owed stays recorded, and the next start resumes it (debt-recompute-resume.ts).
	if (s.stopping.signal.aborted) return;
	s.woken = true;
	if (s.running) {
		// A save during a run: say at once that it waits (or that the run starts over, once its next chunk is done).
		void refreshWaiting(db, s)
			.then(() => s.latest?.state === 'running' && publish(s, { ...s.latest }))
			.catch(() => undefined);
		return;
	}
	s.running = true;
	s.idle = runPending(db, s)
		.catch((e: unknown) => log.warn(`debt recompute: could not read the recomputes owed: ${e instanceof Error ? e.message : String(e)}`))
		.finally(() => {
			s.running = false;
		});
}

/** The latest recompute's progress in this process (the Settings page shows it on load); null if none ran. */
export function debtRecomputeStatus(): DebtRecomputePayload | null {
	return state().latest;
}

/** Resolves once the job has stopped: nothing is owed any more, or a recompute failed. */
export function debtRecomputeIdle(): Promise<void> {
	return state().idle;
}

/**
 * Server shutdown: ends the job after the chunk in progress (each chunk is one committed transaction with
 * its cursor, so the next start goes on from there); resolves once it has ended.
 */
export async function stopDebtRecompute(): Promise<void> {
	const s = state();
	s.stopping.abort(new Error('the server is stopping'));
	await s.idle;
}
