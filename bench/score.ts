// bench:score — churn scoring throughput: N synthetic customers with 64-event sequences in a temp
// DuckDB file, scored in batch by the champion (read → encode → predict → calibrate → write, plus
// occlusion reasons for the top 200). Weights are random: speed does not depend on their values.
// Usage: npx tsx bench/score.ts [customers=200000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../src/lib/server/churn/backend';
import { predictSnapshot } from '../src/lib/server/churn/bundle';
import { DEFAULT_BANDS } from '../src/lib/server/churn/risk-bands';
import { BASE_CHANNELS, BASE_TYPES } from '../src/lib/server/churn/definitions';
import { fitFeatureSpec } from '../src/lib/server/churn/features';
import { buildModel, DEFAULT_HYPER } from '../src/lib/server/churn/model';
import { toArtifacts } from '../src/lib/server/churn/network-io';
import { promoteModel, saveModel } from '../src/lib/server/churn/registry';
import { scoreAll } from '../src/lib/server/churn/score';
import { loadSnapshot } from '../src/lib/server/churn/snapshot';
import { fillScoringEvents } from './lib/score-data';
import { getDb, shutdownDb } from '../src/lib/server/db';

const N = Number(process.argv[2] ?? 200_000);
const dir = mkdtempSync(join(tmpdir(), 'cx-bench-score-'));
const dbPath = join(dir, 'cx.duckdb');
const models = join(dir, 'models');
const metric = { auc: 0, pr_auc: 0, brier: 0, ece: 0, lift_at_10: 0 };

try {
	const db = await getDb(dbPath);
	let t = Date.now();
	await fillScoringEvents(db, N);
	const buildSeconds = (Date.now() - t) / 1000;

	await initBackend();
	const sample = await loadSnapshot(db, { asOf: new Date('2025-08-01T00:00:00Z'), horizonDays: 30, definition: 'inactivity', withLabels: false, types: [...BASE_TYPES], channels: BASE_CHANNELS, customerIds: ['c0000000', 'c0000001', 'c0000002'] });
	const spec = fitFeatureSpec([sample], [...BASE_TYPES]);
	const net = buildModel(spec.seqLen, spec.stepNames.length, spec.staticNames.length, DEFAULT_HYPER);
	const bundle = {
		spec,
		hyper: DEFAULT_HYPER,
		calibration: { method: 'platt' as const, a: 1, b: 0 },
		threshold: 0.5,
		bands: DEFAULT_BANDS,
		definition: 'inactivity' as const,
		horizonDays: 30,
		baselines: { recency: { weights: [0, 0] }, rfm: { names: [], mean: [], std: [], model: { weights: [0] } } },
		artifacts: await toArtifacts(net)
	};
	const version = saveModel(models, bundle, {
		created_at: new Date().toISOString(),
		created_by: 'bench',
		description: 'random weights (bench)',
		definition: 'inactivity',
		horizon_days: 30,
		data_window: { first_event: null, train_as_of: [], validation_as_of: '', labels_until: '' },
		features: { sequence_length: spec.seqLen, step: spec.stepNames, static: spec.staticNames, types: spec.types, channels: spec.channels },
		metrics_source: 'bench',
		metrics: metric,
		baseline_metrics: { recency: metric, rfm_logistic: metric },
		data_fingerprint: 'bench',
		training_seconds: 0,
		backend: 'wasm',
		epochs_run: 0,
		best_epoch: 0
	});
	promoteModel(models, version, { by: 'bench', force: true });

	// Inference alone (encode + predict + calibrate) on one 25,000-customer chunk already in memory.
	const ids = Array.from({ length: Math.min(N, 25_000) }, (_, i) => 'c' + String(i).padStart(7, '0'));
	const chunk = await loadSnapshot(db, { asOf: new Date('2025-08-01T00:00:00Z'), horizonDays: 30, definition: 'inactivity', withLabels: false, types: spec.types, channels: spec.channels, customerIds: ids });
	t = performance.now();
	predictSnapshot({ bundle, net }, chunk);
	const inferencePerS = Math.round(chunk.ids.length / ((performance.now() - t) / 1000));

	t = Date.now();
	const r = await scoreAll(db, { modelsDir: models });
	if (!r.ok) throw new Error(r.error);
	const endToEnd = (Date.now() - t) / 1000;
	const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
	await shutdownDb(dbPath);
	console.log(
		JSON.stringify({
			bench: 'score',
			customers: r.value.scored,
			events: N * 64,
			backend: 'wasm',
			build_db_s: buildSeconds,
			inference_customers_per_s: inferencePerS,
			batch_end_to_end_s: endToEnd,
			batch_customers_per_s: Math.round(r.value.scored / endToEnd),
			phases_s: r.value.phases,
			explained_top: r.value.explained,
			rss_mb: rss,
			goal_customers_per_s: 10_000,
			goal_met: r.value.scored / endToEnd >= 10_000
		})
	);
} finally {
	rmSync(dir, { recursive: true, force: true });
}
