// A churn model as the scorer needs it: the network plus everything that turns events into inputs
// and raw outputs into calibrated probabilities. Saved and loaded as one unit by the registry.
import type { tf } from './backend';
import type { FittedBaselines } from './baselines';
import { applyCalibration, type Calibration } from './calibrate';
import type { ChurnDefinition } from './definitions';
import { encodeSnapshot, type FeatureSpec } from './features';
import { predictRaw, type ModelHyper } from './model';
import type { NetworkArtifacts } from './network-io';
import type { RawSnapshot } from './snapshot';

export interface ModelBundle {
	spec: FeatureSpec;
	hyper: ModelHyper;
	calibration: Calibration;
	threshold: number;
	/** Probability bands for the scores table. */
	bands: { medium: number; high: number };
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

export const DEFAULT_BANDS = { medium: 0.3, high: 0.6 };

export function riskBand(p: number, bands: { medium: number; high: number }): 'low' | 'medium' | 'high' {
	return p >= bands.high ? 'high' : p >= bands.medium ? 'medium' : 'low';
}

/** Calibrated churn probabilities for every customer of a snapshot read with the model's vocabulary. */
export function predictSnapshot(m: LoadedModel, raw: RawSnapshot): { raw: Float32Array; prob: Float64Array } {
	const spec = m.bundle.spec;
	const enc = encodeSnapshot(raw, spec);
	const r = predictRaw(m.net, enc.seq, enc.stat, enc.n, spec.seqLen, spec.stepNames.length, spec.staticNames.length);
	return { raw: r, prob: applyCalibration(m.bundle.calibration, r) };
}
