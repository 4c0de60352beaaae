// A trained network as plain data (topology + weights) so it can cross a process boundary and be
// written to the registry as model.json + weights.bin.
import { tf, initBackend } from './backend';

export interface NetworkArtifacts {
	modelTopology: object;
	weightSpecs: tf.io.WeightsManifestEntry[];
	weightData: ArrayBuffer;
}

export async function toArtifacts(model: tf.LayersModel): Promise<NetworkArtifacts> {
	let out: NetworkArtifacts | undefined;
	await model.save(
		tf.io.withSaveHandler(async (a) => {
			const data = a.weightData;
			const buf = Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : (data as ArrayBuffer);
			out = { modelTopology: a.modelTopology as object, weightSpecs: a.weightSpecs ?? [], weightData: buf.slice(0) };
			return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
		})
	);
	if (!out) throw new Error('TF.js did not hand over the model artifacts');
	return out;
}

/** Loads on the scoring backend (wasm unless tfjs-node is installed). */
export async function fromArtifacts(a: NetworkArtifacts): Promise<tf.LayersModel> {
	await initBackend();
	return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: a.modelTopology, weightSpecs: a.weightSpecs, weightData: a.weightData }));
}
