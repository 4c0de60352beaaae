// Builds the registry metadata of a fitted model (and which metrics it carries).
import type { FitResult } from './fit';
import { modelDescription } from './model';
import type { MetricSummary, ModelMetadata } from './registry';

/** The champion when a version was trained, scored on that version's validation snapshot. */
export interface ChampionComparison {
	version: string;
	metrics: MetricSummary;
}

const pick = (m: MetricSummary): MetricSummary => ({ auc: m.auc, pr_auc: m.pr_auc, brier: m.brier, ece: m.ece, lift_at_10: m.lift_at_10 });

export function metadataFor(
	fit: FitResult,
	o: {
		by: string;
		now?: Date;
		metricsSource?: string;
		metrics?: { model: MetricSummary; recency: MetricSummary; rfm_logistic: MetricSummary };
		champion?: ChampionComparison | null;
	}
): Omit<ModelMetadata, 'version' | 'spec' | 'calibration' | 'threshold' | 'bands' | 'baselines' | 'hyperparameters'> {
	const m = o.metrics ?? fit.validationMetrics;
	const spec = fit.bundle.spec;
	const labelsUntil = new Date(new Date(fit.validation.as_of).getTime() + fit.bundle.horizonDays * 86_400_000);
	return {
		created_at: (o.now ?? new Date()).toISOString(),
		created_by: o.by,
		description: modelDescription(fit.bundle.hyper),
		definition: fit.bundle.definition,
		horizon_days: fit.bundle.horizonDays,
		data_window: {
			first_event: fit.firstEvent,
			train_as_of: fit.trainSnapshots.map((s) => s.as_of),
			validation_as_of: fit.validation.as_of,
			labels_until: labelsUntil.toISOString()
		},
		features: { sequence_length: spec.seqLen, step: spec.stepNames, static: spec.staticNames, types: spec.types, channels: spec.channels },
		metrics_source:
			o.metricsSource ??
			`validation snapshot ${fit.validation.as_of.slice(0, 10)} (${fit.validation.n.toLocaleString('en-US')} customers; early stopping and calibration were fitted there, so Brier/ECE are optimistic)`,
		metrics: pick(m.model),
		baseline_metrics: { recency: pick(m.recency), rfm_logistic: pick(m.rfm_logistic) },
		...(o.champion ? { champion_comparison: { version: o.champion.version, metrics: pick(o.champion.metrics) } } : {}),
		data_fingerprint: fit.dataFingerprint,
		data_size: { train_rows: fit.trainRows, validation_rows: fit.validation.n },
		curves: fit.validationCurves,
		training_seconds: Math.round(fit.trainSeconds * 10) / 10,
		backend: fit.train.backend,
		epochs_run: fit.train.epochsRun,
		best_epoch: fit.train.bestEpoch
	};
}
