// Child-process entry for training (run as `node --import tsx <root>/src/lib/server/churn/train-worker.ts`
// with IPC, serialization 'advanced'): receives a TrainInput, posts progress, replies with the output.
// Training is CPU-bound for minutes; in its own process it never blocks the web server's event loop.
import { Worker } from 'node:worker_threads';
import { trainNetwork, type TrainInput } from './train';

// The server went away (stopped, restarted, killed): nobody will read the result, so stop using the CPU at
// once and write nothing. The IPC 'disconnect' comes only when this thread's event loop runs, which an
// epoch's wasm work does not let happen for its whole length (seconds to minutes on real data; the server's
// SIGKILL left a child training alone until its next progress message died with EPIPE). A thread of its own
// watches the parent process instead and ends this one the moment it has been re-parented.
new Worker(
	`const { workerData: parent } = require('node:worker_threads');
	setInterval(() => { if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL'); }, 100);`,
	{ eval: true, workerData: process.ppid }
).unref();
process.once('disconnect', () => process.exit(1));

/** A message the server can no longer receive is dropped: the watcher above is ending this process. */
function send(m: unknown, then?: () => void): void {
	if (!process.connected) return;
	process.send?.(m, (e: Error | null) => (e ? process.exit(1) : then?.()));
}

process.once('message', (msg: { input: TrainInput }) => {
	trainNetwork(msg.input, (p) => send({ type: 'progress', progress: p }))
		.then((output) => send({ type: 'done', output }, () => process.exit(0)))
		.catch((e: unknown) => send({ type: 'error', message: e instanceof Error ? e.message : String(e) }, () => process.exit(1)));
});
