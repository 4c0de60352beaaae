// The churn network: a temporal-convolution pyramid over the event sequence joined with a dense
// branch over the static features, ending in a sigmoid. Each level is a convolution with kernel =
// stride = `pool` written as reshape + per-step dense (one matmul): the wasm backend has gradients
// for matmul but none for conv1d (no Conv2DBackpropFilter), and matmul is also its fastest op
// (STACK.md). Levels see 1, 4 and 16 events per step, like dilations 1/4/16.
import { tf } from './backend';

export interface ModelHyper {
	filters: number;
	/** Pyramid levels; level k sees pool^k events per step (seqLen must be divisible accordingly). */
	levels: number;
	pool: number;
	staticUnits: number;
	headUnits: number;
	dropout: number;
	l2: number;
	learningRate: number;
	batchSize: number;
	epochs: number;
	patience: number;
	seed: number;
}

export const DEFAULT_HYPER: ModelHyper = {
	filters: 24,
	levels: 3,
	pool: 4,
	staticUnits: 32,
	headUnits: 32,
	dropout: 0.2,
	l2: 1e-4,
	learningRate: 2e-3,
	batchSize: 256,
	epochs: 30,
	patience: 4,
	seed: 7
};

export function buildModel(seqLen: number, stepFeatures: number, staticFeatures: number, h: ModelHyper): tf.LayersModel {
	const reg = () => tf.regularizers.l2({ l2: h.l2 });
	let k = 0;
	const init = () => tf.initializers.glorotUniform({ seed: h.seed + k++ });
	const seqIn = tf.input({ shape: [seqLen, stepFeatures], name: 'sequence' });
	const dense = (units: number) =>
		tf.layers.dense({ units, activation: 'relu', kernelRegularizer: reg(), kernelInitializer: init() });
	let x = dense(h.filters).apply(seqIn) as tf.SymbolicTensor;
	const pooled: tf.SymbolicTensor[] = [tf.layers.globalAveragePooling1d().apply(x) as tf.SymbolicTensor];
	let steps = seqLen;
	for (let level = 1; level < h.levels; level++) {
		steps = Math.floor(steps / h.pool);
		x = tf.layers.reshape({ targetShape: [steps, h.pool * h.filters] }).apply(x) as tf.SymbolicTensor;
		x = dense(h.filters).apply(x) as tf.SymbolicTensor;
	}
	// The coarsest level keeps its positions: where in time (recent vs old) the activity sits.
	pooled.push(tf.layers.flatten().apply(x) as tf.SymbolicTensor);
	const statIn = tf.input({ shape: [staticFeatures], name: 'static' });
	const s = tf.layers.dense({ units: h.staticUnits, activation: 'relu', kernelRegularizer: reg(), kernelInitializer: init() }).apply(statIn) as tf.SymbolicTensor;
	let z = tf.layers.concatenate().apply([...pooled, s]) as tf.SymbolicTensor;
	z = tf.layers.dropout({ rate: h.dropout, seed: h.seed }).apply(z) as tf.SymbolicTensor;
	z = tf.layers.dense({ units: h.headUnits, activation: 'relu', kernelRegularizer: reg(), kernelInitializer: init() }).apply(z) as tf.SymbolicTensor;
	const out = tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: init() }).apply(z) as tf.SymbolicTensor;
	const model = tf.model({ inputs: [seqIn, statIn], outputs: out });
	model.compile({ optimizer: tf.train.adam(h.learningRate), loss: 'binaryCrossentropy' });
	return model;
}

/** Raw (uncalibrated) probabilities, predicted in batches to bound memory. */
export function predictRaw(model: tf.LayersModel, seq: Float32Array, stat: Float32Array, n: number, seqLen: number, stepFeatures: number, staticFeatures: number, batch = 1024): Float32Array {
	const out = new Float32Array(n);
	for (let start = 0; start < n; start += batch) {
		const m = Math.min(batch, n - start);
		const y = tf.tidy(() => {
			const s = tf.tensor3d(seq.subarray(start * seqLen * stepFeatures, (start + m) * seqLen * stepFeatures), [m, seqLen, stepFeatures]);
			const t = tf.tensor2d(stat.subarray(start * staticFeatures, (start + m) * staticFeatures), [m, staticFeatures]);
			return (model.predict([s, t], { batchSize: m }) as tf.Tensor).reshape([m]);
		});
		out.set(y.dataSync() as Float32Array, start);
		y.dispose();
	}
	return out;
}

export function modelDescription(h: ModelHyper): string {
	return `temporal conv pyramid (${h.levels} levels × ${h.filters} filters, kernel = stride = ${h.pool}) + dense static branch, sigmoid, Platt-calibrated`;
}
