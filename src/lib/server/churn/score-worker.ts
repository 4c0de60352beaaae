// Child-process entry for scoring (see score-engine.ts): answers predict/explain requests for a
// registry model version, loading each version once (model-cache.ts).
import { inProcessEngine, type WorkerReply, type WorkerRequest } from './score-engine';

// The server went away: nobody will read the answers.
process.once('disconnect', () => process.exit(0));

async function answer(req: WorkerRequest): Promise<WorkerReply> {
	if (req.op === 'predict') return { id: req.id, ok: true, prob: await inProcessEngine.predict(req, req.raw) };
	return { id: req.id, ok: true, reasons: await inProcessEngine.explain(req, req.raw, req.rows) };
}
process.on('message', (req: WorkerRequest) => {
	answer(req)
		.catch((e: unknown): WorkerReply => ({
			id: req.id,
			ok: false,
			error: e instanceof Error ? e.message : String(e)
		}))
		.then((reply) => process.send?.(reply))
		.catch(() => process.exit(1));
});
