// What the Models page and GET /api/v1/models show: every registry version with its metrics next to
// the baselines, data window, size, training time and champion flag, plus the manifest history.
import type { ModelCurves as RecordedCurves } from './curves';
import type { ReliabilityBin } from './evaluate';
import { listVersions, readManifest, readMetadata, type ManifestEntry, type MetricSummary, type ModelMetadata } from './registry';
import { savedBands } from './risk-bands';

/** Curve points, when a version's metadata records them (older versions do not). */
/** The recorded curves; null where a version did not record one. */
export type ModelCurves = { [K in keyof RecordedCurves]: RecordedCurves[K] | null };

export interface ModelVersionView {
	version: string;
	champion: boolean;
	/** Was the champion once (promoted, or rolled back to) and is not now. */
	previous_champion: boolean;
	created_at: string;
	created_by: string;
	description: string;
	definition: string;
	horizon_days: number;
	/** Null when the metadata does not record it. */
	data_window: ModelMetadata['data_window'] | null;
	/** Rows the model learned from and was validated on, and the churned validation customers; null when the metadata does not say. */
	data_size: { train_rows: number | null; validation_rows: number | null; validation_positives: number | null } | null;
	training_seconds: number;
	backend: string;
	epochs_run: number;
	best_epoch: number;
	metrics_source: string;
	/** Null, with the baselines, when the version's metadata.json records none (a hand-made or damaged file). */
	metrics: MetricSummary | null;
	baseline_metrics: { recency: MetricSummary; rfm_logistic: MetricSummary } | null;
	/** False without metrics: nothing shows that it does. */
	beats_baselines: boolean;
	/** The champion when this version was trained, on this version's validation snapshot; null if none. */
	champion_comparison: { version: string; metrics: MetricSummary } | null;
	curves: ModelCurves;
	/** Lowest probability of the medium and high risk bands, and the share of validation customers each holds (null: fixed bands). */
	bands: { medium: number; high: number; validation_share: { medium: number; high: number } | null } | null;
}

export interface ModelsOverview {
	champion: string | null;
	versions: ModelVersionView[];
	history: ManifestEntry[];
}

/** Optional fields a newer training run may write; read defensively. */
type Extended = ModelMetadata & {
	data_size?: { train_rows?: number; validation_rows?: number; validation_positives?: number };
	curves?: Partial<ModelCurves>;
	metrics: MetricSummary & { reliability?: ReliabilityBin[] };
};

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const arr = <T>(x: unknown): T[] | null => (Array.isArray(x) && x.length > 0 ? (x as T[]) : null);

/** Row counts from metrics_source text such as "validation snapshot 2011-09-09 (3,210 customers; …)" (older versions: "3210"). */
function validationRowsFromSource(source: string): number | null {
	const m = /\((\d[\d,]*) customers/.exec(source);
	return m ? Number(m[1].replaceAll(',', '')) : null;
}

/**
 * Churned validation customers from the reliability bins (n × observed churn rate per bin) of a version
 * saved before they were recorded: exact from the curves' unrounded rates, and from rates rounded to 4
 * decimals while the rounding cannot add up to half a customer.
 */
function positivesFromBins(curves: unknown, rounded: unknown): number | null {
	for (const [bins, exact] of [[curves, true], [rounded, false]] as const) {
		const list = arr<ReliabilityBin>(bins);
		if (!list) continue;
		let n = 0;
		let sum = 0;
		for (const b of list) {
			if (num(b.n) === null) return null;
			n += b.n;
			if (b.n > 0) {
				if (num(b.fraction_positive) === null) return null;
				sum += b.n * (b.fraction_positive as number);
			}
		}
		if (exact || n * 5e-5 < 0.5) return Math.round(sum);
	}
	return null;
}

function bandsView(saved: unknown): ModelVersionView['bands'] {
	const b = savedBands(saved);
	return b && { medium: b.medium, high: b.high, validation_share: b.validation_share ?? null };
}

export function toVersionView(meta: ModelMetadata, champion: string | null, previousChampions: ReadonlySet<string> = new Set()): ModelVersionView {
	const m = meta as Extended;
	// One damaged or hand-made metadata.json must not take the whole page down: what it lacks shows as not recorded.
	const metrics = typeof m.metrics?.auc === 'number' ? m.metrics : null;
	const b = typeof m.baseline_metrics?.recency?.auc === 'number' && typeof m.baseline_metrics.rfm_logistic?.auc === 'number' ? m.baseline_metrics : null;
	const trainRows = num(m.data_size?.train_rows);
	const validationRows = num(m.data_size?.validation_rows) ?? validationRowsFromSource(m.metrics_source ?? '');
	const positives = num(m.data_size?.validation_positives) ?? positivesFromBins(m.curves?.reliability, m.metrics?.reliability);
	return {
		version: m.version,
		champion: m.version === champion,
		previous_champion: m.version !== champion && previousChampions.has(m.version),
		created_at: m.created_at,
		created_by: m.created_by,
		description: m.description,
		definition: m.definition,
		horizon_days: m.horizon_days,
		data_window: m.data_window ?? null,
		data_size: trainRows === null && validationRows === null && positives === null ? null : { train_rows: trainRows, validation_rows: validationRows, validation_positives: positives },
		training_seconds: m.training_seconds,
		backend: m.backend,
		epochs_run: m.epochs_run,
		best_epoch: m.best_epoch,
		metrics_source: m.metrics_source ?? '',
		metrics,
		baseline_metrics: b,
		beats_baselines: metrics !== null && b !== null && metrics.auc > Math.max(b.recency.auc, b.rfm_logistic.auc),
		champion_comparison: typeof m.champion_comparison?.metrics?.auc === 'number' ? m.champion_comparison : null,
		curves: {
			roc: arr(m.curves?.roc),
			pr: arr(m.curves?.pr),
			reliability: arr(m.curves?.reliability) ?? arr(m.metrics?.reliability),
			lift: arr(m.curves?.lift)
		},
		bands: bandsView(m.bands)
	};
}

export function listModels(modelsDir: string): ModelsOverview {
	const manifest = readManifest(modelsDir);
	const champions = new Set(manifest.history.filter((e) => e.action === 'promote' || e.action === 'rollback').map((e) => e.version));
	const versions = listVersions(modelsDir)
		.map((v) => toVersionView(readMetadata(modelsDir, v), manifest.champion, champions))
		.reverse();
	return { champion: manifest.champion, versions, history: [...manifest.history].reverse() };
}

export function hasModelVersion(modelsDir: string, version: string): boolean {
	return listVersions(modelsDir).includes(version);
}
