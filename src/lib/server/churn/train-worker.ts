// Child-process entry for training (run as `node --import tsx <root>/src/lib/server/churn/train-worker.ts`
// with IPC, serialization 'advanced'): receives a TrainInput, posts progress, replies with the output.
// Training is CPU-bound for minutes; in its own process it never blocks the web server's event loop.
import { trainNetwork, type TrainInput } from './train';

// The server went away (stopped or restarted): nobody will read the result, so stop using the CPU.
process.once('disconnect', () => process.exit(1));

process.once('message', (msg: { input: TrainInput }) => {
	trainNetwork(msg.input, (p) => process.send?.({ type: 'progress', progress: p }))
		.then((output) => process.send?.({ type: 'done', output }, () => process.exit(0)))
		.catch((e: unknown) => process.send?.({ type: 'error', message: e instanceof Error ? e.message : String(e) }, () => process.exit(1)));
});
