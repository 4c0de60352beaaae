// Where the champion's forward passes run. The CLI and tests score in their own process; the server
// scores in a child process (score-worker.ts) because predictions and occlusion explanations are
// CPU-bound for seconds on a large round and, in the server's process, held its event loop: the soak
// benchmark measured tile latency p95 of 26–75 s with in-process scoring. The child gets the compact
// raw snapshot (typed arrays, structured clone) and the model version, loads the model from the
// registry itself and needs no database, so the server keeps its exclusive DuckDB handle.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { log } from '../log';
import { predictSnapshot } from './bundle';
import { explainRows, type Reason } from './explain';
import { loadModelCached } from './model-cache';
import { Mutex } from '../db/mutex';
import type { RawSnapshot } from './snapshot';

/** A registry model by its folder and version: the engine loads (and keeps) the network itself. */
export interface ModelRef {
	modelsDir: string;
	version: string;
}

export interface ScoreEngine {
	predict(m: ModelRef, raw: RawSnapshot): Promise<Float64Array>;
	explain(m: ModelRef, raw: RawSnapshot, rows: number[]): Promise<Reason[][]>;
}

async function loaded(m: ModelRef) {
	const r = await loadModelCached(m.modelsDir, m.version);
	if (!r.ok) throw new Error(r.error);
	return r.value;
}

// One request at a time, from loading its version to its last forward pass: the cache keeps one network
// and disposes it when another version (or a second load of the same one) lands, so a request that had
// been handed the network could find its layers disposed before its turn came (seen as "Layer
// 'dense_Dense4' is already disposed" when drift and the scorer asked right after a rollback).
const turns = new Mutex();

export const inProcessEngine: ScoreEngine = {
	predict: (m, raw) => turns.run(async () => predictSnapshot(await loaded(m), raw).prob),
	explain: (m, raw, rows) => turns.run(async () => explainRows(await loaded(m), raw, rows))
};

type Job = ModelRef & { raw: RawSnapshot } & (
	{ op: 'predict' } | { op: 'explain'; rows: number[] }
);
export type WorkerRequest = Job & { id: number };
export type WorkerReply = { id: number } & (
	{ ok: true; prob: Float64Array } | { ok: true; reasons: Reason[][] } | { ok: false; error: string }
);

export interface ChildEngine extends ScoreEngine {
	close(): void;
}

/**
 * A scoring child process started on first use and restarted after it dies (its pending requests
 * fail; the scorer retries them on its next round). Falls back to in-process scoring, with one log
 * line, when the worker's source is not there (the built server loads it from the source tree
 * through tsx, like the training worker).
 */
export function childProcessEngine(root: string): ChildEngine {
	const entry = join(root, 'src/lib/server/churn/score-worker.ts');
	let child: ChildProcess | null = null;
	let nextId = 1;
	const pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();

	const failAll = (e: Error) => {
		for (const p of pending.values()) p.reject(e);
		pending.clear();
	};
	const start = (): ChildProcess => {
		const c = fork(entry, [], {
			cwd: root,
			execArgv: ['--import', 'tsx'],
			serialization: 'advanced',
			stdio: ['ignore', 'inherit', 'inherit', 'ipc']
		});
		c.on('message', (m: WorkerReply) => {
			const p = pending.get(m.id);
			pending.delete(m.id);
			p?.resolve(m);
		});
		c.on('exit', (code, signal) => {
			if (child === c) child = null;
			failAll(new Error(`scoring process exited (${signal ?? `code ${code}`})`));
		});
		c.on('error', (e) => {
			if (child === c) child = null;
			failAll(e);
		});
		// The server must not wait for its scorer to exit.
		c.unref();
		return c;
	};
	const call = (req: Job): Promise<WorkerReply> =>
		new Promise((resolve, reject) => {
			child ??= start();
			const id = nextId++;
			pending.set(id, { resolve, reject });
			child.send({ ...req, id } satisfies WorkerRequest, (e) => {
				if (e && pending.delete(id)) reject(e);
			});
		});
	// Checked once: the source tree does not appear or vanish while the server runs.
	let present: boolean | null = null;
	const usable = () => {
		if (present === null) {
			present = existsSync(entry);
			if (!present) log.warn(`churn scorer: worker not found at ${entry}; scoring in the server process`);
		}
		return present;
	};
	return {
		async predict(m, raw) {
			if (!usable()) return inProcessEngine.predict(m, raw);
			const r = await call({ op: 'predict', modelsDir: m.modelsDir, version: m.version, raw });
			if (!r.ok) throw new Error(r.error);
			if (!('prob' in r)) throw new Error('scoring process answered a prediction without probabilities');
			return r.prob;
		},
		async explain(m, raw, rows) {
			if (!usable()) return inProcessEngine.explain(m, raw, rows);
			const r = await call({ op: 'explain', modelsDir: m.modelsDir, version: m.version, raw, rows });
			if (!r.ok) throw new Error(r.error);
			if (!('reasons' in r)) throw new Error('scoring process answered an explanation without reasons');
			return r.reasons;
		},
		close() {
			const c = child;
			child = null;
			failAll(new Error('scoring process stopped'));
			c?.kill();
		}
	};
}

const SHARED = Symbol.for('cx-command.score-engine');
type WithEngine = typeof globalThis & { [SHARED]?: ChildEngine };

/**
 * The server's one scoring child process, shared by the scorer and the drift report (one copy of the
 * network in memory; their forward passes queue in it instead of holding the server's event loop).
 */
export function sharedChildEngine(root: string): ChildEngine {
	const g = globalThis as WithEngine;
	g[SHARED] ??= childProcessEngine(root);
	return g[SHARED];
}
