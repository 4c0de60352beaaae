import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aModelVersion, writeRegistry } from '../../../../tests/fixtures/model-registry';
import { listModels, toVersionView } from './models-overview';
import { promoteModel, rollbackModel, type ModelMetadata } from './registry';

describe('the Models page view of a version', () => {
	it('labels a replaced champion "previous champion", not challenger', () => {
		const dir = mkdtempSync(join(tmpdir(), 'cx-overview-'));
		try {
			writeRegistry(
				dir,
				['v0001', 'v0002', 'v0003'].map((v) => aModelVersion(v).withAuc(0.85).build())
			);
			const roles = () =>
				Object.fromEntries(
					listModels(dir).versions.map((v) => [
						v.version,
						v.champion ? 'champion' : v.previous_champion ? 'previous' : 'challenger'
					])
				);
			expect(roles()).toEqual({ v0001: 'challenger', v0002: 'challenger', v0003: 'challenger' });
			expect(promoteModel(dir, 'v0001', { by: 't' }).ok).toBe(true);
			expect(promoteModel(dir, 'v0002', { by: 't' }).ok).toBe(true);
			expect(roles()).toEqual({ v0001: 'previous', v0002: 'champion', v0003: 'challenger' });
			expect(rollbackModel(dir, { by: 't' }).ok).toBe(true);
			expect(roles()).toEqual({ v0001: 'champion', v0002: 'previous', v0003: 'challenger' });
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('shows the churned validation customers: recorded, or counted from the reliability bins of older versions', () => {
		const recorded = toVersionView(aModelVersion('v0002').withDataSize(17526, 4813, 613).build(), null);
		expect(recorded.data_size).toEqual({
			train_rows: 17526,
			validation_rows: 4813,
			validation_positives: 613
		});

		// Saved before the count was: the curves' bins (unrounded rates, as the bundled v0001 of 2026-12-05 has them) hold it.
		const older = aModelVersion('v0001').build();
		older.data_size = { train_rows: 17526, validation_rows: 4813 };
		older.curves = {
			roc: [],
			pr: [],
			lift: [],
			reliability: [
				{ lo: 0, hi: 0.1, n: 3400, mean_predicted: 0.0345, fraction_positive: 0.03735294117647059 },
				{ lo: 0.1, hi: 0.2, n: 827, mean_predicted: 0.1395, fraction_positive: 0.13301088270858524 },
				{ lo: 0.2, hi: 0.3, n: 206, mean_predicted: 0.2386, fraction_positive: 0.24271844660194175 },
				{ lo: 0.3, hi: 0.4, n: 53, mean_predicted: 0.3426, fraction_positive: 0.2830188679245283 },
				{ lo: 0.4, hi: 0.5, n: 19, mean_predicted: 0.4397, fraction_positive: 0.2631578947368421 },
				{ lo: 0.5, hi: 0.6, n: 4, mean_predicted: 0.5332, fraction_positive: 0.5 },
				{ lo: 0.6, hi: 0.9, n: 0, mean_predicted: null, fraction_positive: null },
				{ lo: 0.9, hi: 1, n: 304, mean_predicted: 0.9948, fraction_positive: 1 }
			]
		};
		expect(toVersionView(older, 'v0001').data_size).toEqual({
			train_rows: 17526,
			validation_rows: 4813,
			validation_positives: 613
		});

		// Rates rounded to 4 decimals still give the count while the rounding cannot add up to half a customer.
		const rounded = aModelVersion('v0003').build() as ModelMetadata & { metrics: { reliability: unknown } };
		rounded.metrics.reliability = [
			{ lo: 0, hi: 0.5, n: 900, mean_predicted: 0.1, fraction_positive: 0.0444 },
			{ lo: 0.5, hi: 1, n: 300, mean_predicted: 0.7, fraction_positive: 0.6667 },
			{ lo: 0.9, hi: 1, n: 0, mean_predicted: null, fraction_positive: null }
		];
		expect(toVersionView(rounded, null).data_size).toEqual({
			train_rows: null,
			validation_rows: 1200,
			validation_positives: 240
		});

		// Versions saved from now on group the count as the page shows counts.
		const grouped = aModelVersion('v0005').build();
		grouped.metrics_source = 'validation snapshot 2026-11-07 (4,507 customers; early stopping and calibration were fitted there)';
		expect(toVersionView(grouped, null).data_size?.validation_rows).toBe(4507);

		// Nothing to count from: the size alone.
		expect(toVersionView(aModelVersion('v0004').build(), null).data_size).toEqual({
			train_rows: null,
			validation_rows: 1200,
			validation_positives: null
		});
	});

	it('shows a version whose metadata.json records no metrics as such, and the other versions as usual', () => {
		const dir = mkdtempSync(join(tmpdir(), 'cx-overview-'));
		try {
			// A hand-made or damaged folder: no metrics, baselines, champion comparison or curves.
			const bare = aModelVersion('v0002').build() as Partial<ModelMetadata>;
			delete bare.metrics;
			delete bare.baseline_metrics;
			delete bare.champion_comparison;
			delete (bare as { curves?: unknown }).curves;
			writeRegistry(dir, [aModelVersion('v0001').withAuc(0.85).build(), bare as ModelMetadata]);
			const [v2, v1] = listModels(dir).versions;
			expect(v2).toMatchObject({ version: 'v0002', metrics: null, baseline_metrics: null, beats_baselines: false, champion_comparison: null });
			expect(v2.curves).toEqual({ roc: null, pr: null, reliability: null, lift: null });
			expect(v1).toMatchObject({ version: 'v0001', metrics: { auc: 0.85 }, beats_baselines: true });
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
