// The one registry model this process keeps loaded (its TF.js network costs memory and a load of
// seconds). The server itself only needs a model's metadata to score; the network lives where the
// forward passes run: the scoring child process, or this process for the CLI and tests.
import type { LoadedModel } from './bundle';
import { loadModel, readManifest, type Result } from './registry';

let cached: { dir: string; version: string; model: LoadedModel } | undefined;

/** A registry version, loaded once and kept until another version is asked for. */
export async function loadModelCached(dir: string, version: string): Promise<Result<LoadedModel>> {
	if (cached && cached.dir === dir && cached.version === version) return { ok: true, value: cached.model };
	const loaded = await loadModel(dir, version);
	if (!loaded.ok) return loaded;
	cached?.model.net.dispose();
	cached = { dir, version, model: loaded.value };
	return loaded;
}

/** The champion of the registry, or why there is none. */
export function championVersion(dir: string): Result<string> {
	const champion = readManifest(dir).champion;
	return champion
		? { ok: true, value: champion }
		: { ok: false, error: `no champion model in ${dir} (train one with \`train\`, then \`promote VERSION\`)` };
}
