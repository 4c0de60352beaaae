// Trains the network with early stopping on the validation snapshot (a later cutoff than every
// training snapshot) and fits Platt calibration on that snapshot. Pure data in, pure data out, so
// the same function runs in-process (CLI) or in a child process (server; see train-process.ts).
import { initBackend, tf } from './backend';
import { applyCalibration, fitPlatt, type Calibration } from './calibrate';
import { bestF1Threshold, rocAuc } from './evaluate';
import { buildModel, predictRaw, type ModelHyper } from './model';
import { toArtifacts, type NetworkArtifacts } from './network-io';

export interface TensorSet {
	n: number;
	seq: Float32Array;
	stat: Float32Array;
	labels: Uint8Array;
}

export interface TrainInput {
	seqLen: number;
	stepFeatures: number;
	staticFeatures: number;
	hyper: ModelHyper;
	train: TensorSet;
	val: TensorSet;
}

export interface TrainProgress {
	epoch: number;
	epochs: number;
	loss: number;
	val_loss: number;
	val_auc: number;
	eta_s: number;
}

export interface TrainOutput {
	artifacts: NetworkArtifacts;
	calibration: Calibration;
	/** Operating threshold on calibrated probabilities (best F1 on validation). */
	threshold: number;
	bestEpoch: number;
	epochsRun: number;
	history: TrainProgress[];
	backend: string;
}

function logLoss(p: ArrayLike<number>, y: ArrayLike<number>): number {
	let s = 0;
	for (let i = 0; i < p.length; i++) {
		const q = Math.min(1 - 1e-7, Math.max(1e-7, p[i]));
		s -= y[i] ? Math.log(q) : Math.log(1 - q);
	}
	return s / Math.max(1, p.length);
}

/** Seeded Fisher–Yates so a run is repeatable. */
function shuffled(n: number, seed: number): Int32Array {
	const idx = Int32Array.from({ length: n }, (_, i) => i);
	let s = seed >>> 0 || 1;
	for (let i = n - 1; i > 0; i--) {
		s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
		const j = s % (i + 1);
		[idx[i], idx[j]] = [idx[j], idx[i]];
	}
	return idx;
}

export async function trainNetwork(input: TrainInput, onProgress?: (p: TrainProgress) => void): Promise<TrainOutput> {
	const backend = await initBackend();
	const { seqLen: L, stepFeatures: F, staticFeatures: S, hyper: h, train, val } = input;
	if (train.n === 0 || val.n === 0) throw new Error('churn training needs labelled customers in both the training and the validation snapshot');
	const model = buildModel(L, F, S, h);
	const history: TrainProgress[] = [];
	let best = { loss: Infinity, epoch: 0, weights: [] as tf.Tensor[] };
	const started = Date.now();
	try {
		for (let epoch = 1; epoch <= h.epochs; epoch++) {
			const order = shuffled(train.n, h.seed + epoch);
			let lossSum = 0;
			for (let start = 0; start < train.n; start += h.batchSize) {
				const m = Math.min(h.batchSize, train.n - start);
				const seq = new Float32Array(m * L * F);
				const stat = new Float32Array(m * S);
				const y = new Float32Array(m);
				for (let r = 0; r < m; r++) {
					const i = order[start + r];
					seq.set(train.seq.subarray(i * L * F, (i + 1) * L * F), r * L * F);
					stat.set(train.stat.subarray(i * S, (i + 1) * S), r * S);
					y[r] = train.labels[i];
				}
				const xs = [tf.tensor3d(seq, [m, L, F]), tf.tensor2d(stat, [m, S])];
				const ys = tf.tensor2d(y, [m, 1]);
				try {
					const loss = (await model.trainOnBatch(xs, ys)) as number;
					lossSum += loss * m;
				} finally {
					tf.dispose([...xs, ys]);
				}
			}
			const pv = predictRaw(model, val.seq, val.stat, val.n, L, F, S);
			const valLoss = logLoss(pv, val.labels);
			const elapsed = (Date.now() - started) / 1000;
			const p: TrainProgress = {
				epoch,
				epochs: h.epochs,
				loss: lossSum / train.n,
				val_loss: valLoss,
				val_auc: rocAuc(pv, val.labels),
				eta_s: Math.round((elapsed / epoch) * (h.epochs - epoch))
			};
			history.push(p);
			onProgress?.(p);
			// wasm ops resolve as microtasks, so the loop above never lets I/O run: yield once per epoch, or a
			// training worker never notices that its server has gone and keeps training for nobody.
			await new Promise((r) => setImmediate(r));
			if (valLoss < best.loss - 1e-5) {
				tf.dispose(best.weights);
				best = { loss: valLoss, epoch, weights: model.getWeights().map((w) => w.clone()) };
			} else if (epoch - best.epoch >= h.patience) {
				break;
			}
		}
		model.setWeights(best.weights);
		const pv = predictRaw(model, val.seq, val.stat, val.n, L, F, S);
		const calibration = fitPlatt(pv, val.labels);
		const threshold = bestF1Threshold(applyCalibration(calibration, pv), val.labels);
		return {
			artifacts: await toArtifacts(model),
			calibration,
			threshold,
			bestEpoch: best.epoch,
			epochsRun: history.length,
			history,
			backend
		};
	} finally {
		tf.dispose(best.weights);
		model.dispose();
	}
}
