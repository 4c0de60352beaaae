// Child-process entry for scoring (see score-engine.ts): answers predict/explain requests for a
// registry model version, loading each version once.
import type { LoadedModel } from './bundle';
import { inProcessEngine, type WorkerReply, type WorkerRequest } from './score-engine';
import { loadModel } from './registry';

// The server went away: nobody will read the answers.
process.once('disconnect', () => process.exit(0));

let cached: { key: string; model: LoadedModel } | null = null;

async function model(modelsDir: string, version: string): Promise<LoadedModel> {
	const key = `${modelsDir}\n${version}`;
	if (cached?.key === key) return cached.model;
	const r = await loadModel(modelsDir, version);
	if (!r.ok) throw new Error(r.error);
	cached?.model.net.dispose();
	cached = { key, model: r.value };
	return r.value;
}

async function answer(req: WorkerRequest): Promise<WorkerReply> {
	const m = await model(req.modelsDir, req.version);
	if (req.op === 'predict') return { id: req.id, ok: true, prob: await inProcessEngine.predict(m, req.raw) };
	return { id: req.id, ok: true, reasons: await inProcessEngine.explain(m, req.raw, req.rows) };
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
