// Runs trainNetwork in a child process (see train-worker.ts). The built server is bundled by Vite,
// so the worker is loaded from the source tree at run time through tsx (a runtime dependency), from
// config().root. Data goes over IPC (structured clone keeps typed arrays), so the child needs no
// database: the server keeps its exclusive DuckDB handle. A cancelled run (signal) ends the child:
// nothing it computed comes back, and the registry is written only by the server after a run.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainRunner } from './train-job';
import type { TrainOutput, TrainProgress } from './train';

type Message = { type: 'progress'; progress: TrainProgress } | { type: 'done'; output: TrainOutput } | { type: 'error'; message: string };

export function trainInChildProcess(root: string): TrainRunner {
	return (input, onProgress, signal) =>
		new Promise((resolve, reject) => {
			if (signal?.aborted) {
				reject(new Error('training cancelled'));
				return;
			}
			const entry = join(root, 'src/lib/server/churn/train-worker.ts');
			if (!existsSync(entry)) {
				reject(new Error(`training worker not found at ${entry} (is CX root the project folder?)`));
				return;
			}
			const child = fork(entry, [], { cwd: root, execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
			let settled = false;
			const onAbort = () => {
				if (!settled) reject(new Error('training cancelled'));
				settled = true;
				child.kill('SIGTERM');
				// A child that does not stop on SIGTERM would keep training for nobody.
				const hard = setTimeout(() => child.kill('SIGKILL'), 5_000);
				hard.unref();
				child.once('exit', () => clearTimeout(hard));
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			child.once('exit', () => signal?.removeEventListener('abort', onAbort));
			child.on('message', (m: Message) => {
				if (settled) return;
				if (m.type === 'progress') onProgress?.(m.progress);
				else if (m.type === 'done') {
					settled = true;
					resolve(m.output);
				} else {
					settled = true;
					reject(new Error(`training failed: ${m.message}`));
				}
			});
			child.on('error', (e) => {
				if (!settled) reject(e);
				settled = true;
			});
			child.on('exit', (code, exitSignal) => {
				if (!settled) reject(new Error(`training process exited (${exitSignal ?? `code ${code}`}) before finishing`));
				settled = true;
			});
			child.send({ input });
		});
}
