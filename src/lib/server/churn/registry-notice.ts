// What the server says at start about its model registry folder (CX_MODELS_DIR). A folder without a
// champion is legal (a fresh install trains its first model), but pointing the variable one level too
// high (at models/ instead of models/churn) used to pass in silence: no scores, no word why.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { listVersions, readManifest } from './registry';

/** A log line when the folder has no champion, naming a registry just below it if there is one; else null. */
export function registryNotice(modelsDir: string): string | null {
	try {
		if (readManifest(modelsDir).champion) return null;
	} catch (e) {
		return e instanceof Error ? e.message : String(e);
	}
	const below = join(modelsDir, 'churn');
	if (existsSync(join(below, 'manifest.json')))
		return `no churn model in ${modelsDir}, but ${below} holds a model registry: did you mean CX_MODELS_DIR=${below}? Customers are not scored until a champion is found.`;
	const versions = listVersions(modelsDir).length;
	return versions
		? `no champion among the ${versions} model version(s) in ${modelsDir}: promote one (Models page or npm run cx -- promote vNNNN) to score customers`
		: `no churn model in ${modelsDir} (CX_MODELS_DIR): customers are scored once a model is trained and promoted (Models page or npm run cx -- train)`;
}
