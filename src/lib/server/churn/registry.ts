// The model registry on disk (DESIGN §8): <modelsDir>/vNNNN/{model.json, weights.bin, metadata.json}
// and manifest.json {champion, history:[{action, version, by, at}]}. Files are written to a temp
// name and renamed, so a crash never leaves a half-written model or manifest.
import type { ModelCurves } from './curves';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../write-file-atomic';
import type { FittedBaselines } from './baselines';
import type { LoadedModel, ModelBundle } from './bundle';
import type { Calibration } from './calibrate';
import type { ChurnDefinition } from './definitions';
import type { FeatureSpec } from './features';
import type { ModelHyper } from './model';
import { fromArtifacts } from './network-io';
import type { RiskBands } from './risk-bands';

export interface ManifestEntry {
	action: 'save' | 'promote' | 'rollback';
	version: string;
	by: string;
	at: string;
}

export interface Manifest {
	champion: string | null;
	history: ManifestEntry[];
}

export interface MetricSummary {
	auc: number;
	pr_auc: number;
	brier: number;
	ece: number;
	lift_at_10: number;
}

export interface ModelMetadata {
	version: string;
	created_at: string;
	created_by: string;
	description: string;
	definition: ChurnDefinition;
	horizon_days: number;
	data_window: { first_event: string | null; train_as_of: string[]; validation_as_of: string; labels_until: string };
	features: { sequence_length: number; step: string[]; static: string[]; types: string[]; channels: string[] };
	hyperparameters: ModelHyper;
	/** Where the metrics come from (validation snapshot or a backtest). */
	metrics_source: string;
	metrics: MetricSummary;
	baseline_metrics: { recency: MetricSummary; rfm_logistic: MetricSummary };
	/** The champion when this version was trained, on this version's validation snapshot; absent without one. */
	champion_comparison?: { version: string; metrics: MetricSummary };
	data_fingerprint: string;
	/** Rows (customers) used; absent in versions saved before it was recorded (validation_positives: churned validation customers, recorded later still). */
	data_size?: { train_rows: number; validation_rows: number; validation_positives?: number };
	/** Validation curves; absent in versions saved before they were recorded. */
	curves?: ModelCurves;
	training_seconds: number;
	backend: string;
	epochs_run: number;
	best_epoch: number;
	spec: FeatureSpec;
	calibration: Calibration;
	threshold: number;
	bands: RiskBands;
	baselines: FittedBaselines;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

const VERSION_RE = /^v\d{4,}$/;

/** A registry version's name (v0001, …): anything else is never a folder of the registry. */
export const isVersionName = (v: string): boolean => VERSION_RE.test(v);

/** A registry file that cannot be used as it is (hand-edited, truncated): names the file and the problem. */
export class RegistryFileError extends Error {
	constructor(
		readonly file: string,
		problem: string
	) {
		super(`${file} ${problem}`);
		this.name = 'RegistryFileError';
	}
}

function readJsonFile(file: string): unknown {
	const text = readFileSync(file, 'utf8');
	try {
		return JSON.parse(text) as unknown;
	} catch (e) {
		throw new RegistryFileError(file, `is not valid JSON (${(e as Error).message})`);
	}
}

export function readManifest(dir: string): Manifest {
	const file = join(dir, 'manifest.json');
	if (!existsSync(file)) return { champion: null, history: [] };
	const m = readJsonFile(file) as Partial<Manifest> | null;
	// Promote and rollback replay the history; a manifest without one would fail in their middle.
	if (typeof m !== 'object' || m === null || Array.isArray(m) || !(typeof m.champion === 'string' || m.champion === null) || !Array.isArray(m.history)) {
		throw new RegistryFileError(file, 'is not a model manifest (expected {"champion": "vNNNN" or null, "history": [...]})');
	}
	return m as Manifest;
}

function writeManifest(dir: string, m: Manifest): void {
	mkdirSync(dir, { recursive: true });
	writeFileAtomic(join(dir, 'manifest.json'), JSON.stringify(m, null, 2) + '\n');
}

export function listVersions(dir: string): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((d) => VERSION_RE.test(d) && existsSync(join(dir, d, 'metadata.json')))
		.sort();
}

export function readMetadata(dir: string, version: string): ModelMetadata {
	const file = join(dir, version, 'metadata.json');
	const meta = readJsonFile(file);
	if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw new RegistryFileError(file, 'is not a JSON object');
	return meta as ModelMetadata;
}

/** Whether a version's metadata holds the metrics promotion compares (older or hand-made files may not). */
export function hasMetrics(m: ModelMetadata): boolean {
	const ok = (x: MetricSummary | undefined) => typeof x?.auc === 'number';
	return ok(m.metrics) && ok(m.baseline_metrics?.recency) && ok(m.baseline_metrics?.rfm_logistic);
}

function nextVersion(dir: string): string {
	const last = listVersions(dir).at(-1);
	const n = last ? Number(last.slice(1)) + 1 : 1;
	return `v${String(n).padStart(4, '0')}`;
}

/** Saves a new version (never the champion by itself) and records it in the manifest. */
export function saveModel(dir: string, bundle: ModelBundle, meta: Omit<ModelMetadata, 'version' | 'spec' | 'calibration' | 'threshold' | 'bands' | 'baselines' | 'hyperparameters'>): string {
	mkdirSync(dir, { recursive: true });
	const version = nextVersion(dir);
	const tmp = join(dir, `.${version}.tmp-${process.pid}`);
	mkdirSync(tmp, { recursive: true });
	const a = bundle.artifacts;
	writeFileSync(
		join(tmp, 'model.json'),
		JSON.stringify({ format: 'layers-model', generatedBy: 'cx-command', modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] })
	);
	writeFileSync(join(tmp, 'weights.bin'), new Uint8Array(a.weightData));
	const metadata: ModelMetadata = {
		...meta,
		version,
		hyperparameters: bundle.hyper,
		spec: bundle.spec,
		calibration: bundle.calibration,
		threshold: bundle.threshold,
		bands: bundle.bands,
		baselines: bundle.baselines
	};
	writeFileSync(join(tmp, 'metadata.json'), JSON.stringify(metadata, null, 2) + '\n');
	renameSync(tmp, join(dir, version));
	const m = readManifest(dir);
	m.history.push({ action: 'save', version, by: meta.created_by, at: meta.created_at });
	writeManifest(dir, m);
	return version;
}

export async function loadModel(dir: string, version: string): Promise<Result<LoadedModel>> {
	if (!VERSION_RE.test(version) || !existsSync(join(dir, version, 'metadata.json'))) {
		return { ok: false, error: `no model ${version} in ${dir}` };
	}
	const meta = readMetadata(dir, version);
	const json = JSON.parse(readFileSync(join(dir, version, 'model.json'), 'utf8')) as {
		modelTopology: object;
		weightsManifest: { weights: ModelBundle['artifacts']['weightSpecs'] }[];
	};
	const buf = readFileSync(join(dir, version, 'weights.bin'));
	const artifacts = {
		modelTopology: json.modelTopology,
		weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
		weightData: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer
	};
	const bundle: ModelBundle = {
		spec: meta.spec,
		hyper: meta.hyperparameters,
		calibration: meta.calibration,
		threshold: meta.threshold,
		bands: meta.bands,
		definition: meta.definition,
		horizonDays: meta.horizon_days,
		baselines: meta.baselines,
		artifacts
	};
	return { ok: true, value: { bundle, net: await fromArtifacts(artifacts), version } };
}

/** Versions that were champion, oldest first, after replaying promotions and rollbacks. */
function championStack(m: Manifest): string[] {
	const stack: string[] = [];
	for (const e of m.history) {
		if (e.action === 'promote') stack.push(e.version);
		else if (e.action === 'rollback') {
			stack.pop();
			if (stack.at(-1) !== e.version) stack.push(e.version);
		}
	}
	return stack;
}

export interface PromoteOptions {
	by: string;
	/** Promote even when the model does not beat both baselines on its own split. */
	force?: boolean;
	now?: Date;
}

export function promoteModel(dir: string, version: string, o: PromoteOptions): Result<Manifest> {
	if (!listVersions(dir).includes(version)) return { ok: false, error: `no model ${version} in ${dir} (see \`models\`)` };
	const m = readManifest(dir);
	if (m.champion === version) return { ok: false, error: `${version} is already the champion` };
	const meta = readMetadata(dir, version);
	if (!hasMetrics(meta) && !o.force) return { ok: false, error: `${join(dir, version, 'metadata.json')} has no metrics to compare with the baselines; use --force to promote anyway` };
	const b = meta.baseline_metrics;
	const beats = hasMetrics(meta) && meta.metrics.auc > Math.max(b.recency.auc, b.rfm_logistic.auc);
	if (!beats && !o.force) {
		return {
			ok: false,
			error: `${version} does not beat the baselines on ROC-AUC (${meta.metrics.auc} vs recency ${b.recency.auc}, RFM ${b.rfm_logistic.auc}); use --force to promote anyway`
		};
	}
	m.champion = version;
	m.history.push({ action: 'promote', version, by: o.by, at: (o.now ?? new Date()).toISOString() });
	writeManifest(dir, m);
	return { ok: true, value: m };
}

/** Makes the previous champion the champion again. */
export function rollbackModel(dir: string, o: { by: string; now?: Date }): Result<Manifest> {
	const m = readManifest(dir);
	const stack = championStack(m);
	if (stack.length < 2) return { ok: false, error: m.champion ? `nothing to roll back to: ${m.champion} is the first champion` : 'there is no champion to roll back' };
	const previous = stack[stack.length - 2];
	m.champion = previous;
	m.history.push({ action: 'rollback', version: previous, by: o.by, at: (o.now ?? new Date()).toISOString() });
	writeManifest(dir, m);
	return { ok: true, value: m };
}
