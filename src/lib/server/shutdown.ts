// What the server does once when it stops, in order. adapter-node closes the HTTP server on SIGTERM/SIGINT
// and then emits 'sveltekit:shutdown'. Modules used to listen for it each on their own, in no defined order
// (the alert loop not at all), so a tick or an ingest batch could commit after the final checkpoint: the file
// then needed a .wal again, which a second copy of the signal arriving while Node exits left behind (11 of
// 30 runs of a SIGINT stress, 0 of 30 since: docs/architecture.md). Now every module registers its stop
// here, and the sequence runs the "writers" phase (every step that writes, each waiting for the batch, tick
// or chunk it has in progress), then the final checkpoint. Steps of one phase run side by side. Each has a
// time limit: a step that hangs is logged by name and the sequence goes on without it, and the process
// then exits shortly after instead of staying up forever.
import type { EventEmitter } from 'node:events';
import { log } from './log';

export type ShutdownPhase = 'writers' | 'checkpoint';
const PHASES: readonly ShutdownPhase[] = ['writers', 'checkpoint'];

/** Writers wait at most for their batch, tick or chunk in progress: seconds, not minutes. */
export const WRITER_TIMEOUT_MS = 10_000;
/** A checkpoint after a large import can take many seconds; cut short, the file replays its .wal at the next start. */
export const CHECKPOINT_TIMEOUT_MS = 60_000;
/** After a step timed out, what it still runs (a query, a child process) may keep the process up: exit after this. */
const EXIT_AFTER_TIMEOUT_MS = 2_000;

export interface ShutdownStep {
	/** Named in the log line ("stopped demo, alerts"); a second registration of a name replaces the first. */
	name: string;
	phase: ShutdownPhase;
	stop: () => Promise<void> | void;
	/** Default: WRITER_TIMEOUT_MS for writers, CHECKPOINT_TIMEOUT_MS for the checkpoint. */
	timeoutMs?: number;
}

export interface ShutdownOutcome {
	name: string;
	phase: ShutdownPhase;
	ms: number;
	/** The step's time limit. */
	limitMs: number;
	result: 'done' | 'timeout' | 'failed';
	error?: string;
}

export interface ShutdownReport {
	outcomes: ShutdownOutcome[];
	/** Wall time of each phase (its steps run side by side). */
	phaseMs: Record<ShutdownPhase, number>;
}

const defaultTimeout = (phase: ShutdownPhase) => (phase === 'checkpoint' ? CHECKPOINT_TIMEOUT_MS : WRITER_TIMEOUT_MS);

async function runStep(step: ShutdownStep): Promise<ShutdownOutcome> {
	const t = performance.now();
	const limit = step.timeoutMs ?? defaultTimeout(step.phase);
	let timer: NodeJS.Timeout | undefined;
	const timedOut = new Promise<'timeout'>((resolve) => {
		timer = setTimeout(() => resolve('timeout'), limit);
	});
	const base = { name: step.name, phase: step.phase, limitMs: limit };
	try {
		const r = await Promise.race([Promise.resolve().then(step.stop).then(() => 'done' as const), timedOut]);
		const ms = Math.round(performance.now() - t);
		if (r === 'timeout') log.warn(`shutdown: ${step.name} did not finish within ${limit / 1000} s; going on without it`);
		return { ...base, ms, result: r };
	} catch (e) {
		const error = e instanceof Error ? e.message : String(e);
		log.warn(`shutdown: ${step.name} failed: ${error}`);
		return { ...base, ms: Math.round(performance.now() - t), result: 'failed', error };
	} finally {
		clearTimeout(timer);
	}
}

/** The one line logged when the sequence ends. */
export function shutdownSummary(report: ShutdownReport): string {
	const parts: string[] = [];
	for (const phase of PHASES) {
		const of = report.outcomes.filter((o) => o.phase === phase);
		if (!of.length) continue;
		const done = of.filter((o) => o.result === 'done').map((o) => o.name);
		const ms = report.phaseMs[phase];
		if (done.length) parts.push(phase === 'writers' ? `stopped ${done.join(', ')} in ${ms} ms` : `${done.join(', ')} done in ${ms} ms`);
		for (const o of of) {
			if (o.result === 'timeout') parts.push(`${o.name} did not finish within ${o.limitMs / 1000} s`);
			if (o.result === 'failed') parts.push(`${o.name} failed: ${o.error}`);
		}
	}
	return `shutdown: ${parts.length ? parts.join('; ') : 'nothing to stop'}`;
}

export class ShutdownSequence {
	private readonly steps = new Map<string, ShutdownStep>();
	private running: Promise<ShutdownReport> | null = null;
	private readonly listening = new WeakSet<EventEmitter>();
	private reported = false;

	add(step: ShutdownStep): void {
		this.steps.set(step.name, step);
	}

	/** Runs the phases in order, once: later calls get the same report. */
	run(): Promise<ShutdownReport> {
		this.running ??= this.runPhases();
		return this.running;
	}

	private async runPhases(): Promise<ShutdownReport> {
		const outcomes: ShutdownOutcome[] = [];
		const phaseMs = { writers: 0, checkpoint: 0 };
		for (const phase of PHASES) {
			const t = performance.now();
			outcomes.push(...(await Promise.all([...this.steps.values()].filter((s) => s.phase === phase).map(runStep))));
			phaseMs[phase] = Math.round(performance.now() - t);
		}
		return { outcomes, phaseMs };
	}

	/**
	 * Runs the sequence when `emitter` emits `event` (however often), logs its summary, and exits the
	 * process soon after if a step timed out (what it still runs could keep the process up forever).
	 */
	listen(emitter: EventEmitter = process, event = 'sveltekit:shutdown', exit: (code: number) => void = (c) => process.exit(c)): void {
		if (this.listening.has(emitter)) return;
		this.listening.add(emitter);
		emitter.on(event, () => {
			if (this.reported) return;
			this.reported = true;
			void this.run().then((report) => {
				const stuck = report.outcomes.some((o) => o.result !== 'done');
				(stuck ? log.warn : log.info)(shutdownSummary(report));
				if (report.outcomes.some((o) => o.result === 'timeout')) setTimeout(() => exit(1), EXIT_AFTER_TIMEOUT_MS).unref();
			});
		});
	}
}

// On globalThis so a second copy of this module (dev server reloads) adds to the same sequence and listener.
const KEY = Symbol.for('cx-command.shutdown');
type WithShutdown = typeof globalThis & { [KEY]?: ShutdownSequence };

/** The process's sequence, run on 'sveltekit:shutdown'. */
export function shutdownSequence(): ShutdownSequence {
	const g = globalThis as WithShutdown;
	g[KEY] ??= new ShutdownSequence();
	return g[KEY];
}

/** Registers a module's stop with the process's shutdown (see the top of this file). */
export function onShutdown(step: ShutdownStep): void {
	const seq = shutdownSequence();
	seq.add(step);
	seq.listen();
}
