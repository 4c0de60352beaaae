// A churn model as the scorer needs it: the network plus everything that turns events into inputs
// and raw outputs into calibrated probabilities. Saved and loaded as one unit by the registry.
import type { tf } from './backend';
import type { FittedBaselines } from './baselines';
import { applyCalibration, type Calibration } from './calibrate';
import type { ChurnDefinition } from './definitions';
import { encodeSnapshot, type FeatureSpec } from './features';
import { predictRaw, type ModelHyper } from './model';
import type { NetworkArtifacts } from './network-io';
import type { RiskBands } from './risk-bands';
import type { RawSnapshot } from './snapshot';

export interface ModelBundle {
	spec: FeatureSpec;
	hyper: ModelHyper;
	calibration: Calibration;
	threshold: number;
	/** Probability bands for the scores table. */
	bands: RiskBands;
	definition: ChurnDefinition;
	horizonDays: number;
	baselines: FittedBaselines;
	artifacts: NetworkArtifacts;
}

export interface LoadedModel {
	bundle: ModelBundle;
	net: tf.LayersModel;
	version?: string;
}

/** Calibrated churn probabilities for every customer of a snapshot read with the model's vocabulary. */
export function predictSnapshot(m: LoadedModel, raw: RawSnapshot): { raw: Float32Array; prob: Float64Array } {
	const spec = m.bundle.spec;
	const enc = encodeSnapshot(raw, spec);
	const r = predictRaw(m.net, enc.seq, enc.stat, enc.n, spec.seqLen, spec.stepNames.length, spec.staticNames.length);
	return { raw: r, prob: applyCalibration(m.bundle.calibration, r) };
}
