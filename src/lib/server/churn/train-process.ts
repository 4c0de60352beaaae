// Runs trainNetwork in a child process (see train-worker.ts). The built server is bundled by Vite,
// so the worker is loaded from the source tree at run time through tsx (a runtime dependency), from
// config().root. Data goes over IPC (structured clone keeps typed arrays), so the child needs no
// database: the server keeps its exclusive DuckDB handle.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainInput, TrainOutput, TrainProgress } from './train';

type Message = { type: 'progress'; progress: TrainProgress } | { type: 'done'; output: TrainOutput } | { type: 'error'; message: string };

export function trainInChildProcess(root: string): (input: TrainInput, onProgress?: (p: TrainProgress) => void) => Promise<TrainOutput> {
	return (input, onProgress) =>
		new Promise((resolve, reject) => {
			const entry = join(root, 'src/lib/server/churn/train-worker.ts');
			if (!existsSync(entry)) {
				reject(new Error(`training worker not found at ${entry} (is CX root the project folder?)`));
				return;
			}
			const child = fork(entry, [], { cwd: root, execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
			let settled = false;
			child.on('message', (m: Message) => {
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
			child.on('exit', (code, signal) => {
				if (!settled) reject(new Error(`training process exited (${signal ?? `code ${code}`}) before finishing`));
				settled = true;
			});
			child.send({ input });
		});
}
