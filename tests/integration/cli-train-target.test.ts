// `cx train` takes its target from its flags (defaults auto and 90 days, as documented), not from the
// champion as the Models page does; when the two differ it says so, since the new version's figures are
// then not comparable with the champion's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { listVersions, promoteModel, readMetadata } from '../../src/lib/server/churn/registry';
import { listTrainRuns } from '../../src/lib/server/churn/train-runs';
import { config, overrideConfig, type Config } from '../../src/lib/server/config';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { ingestEvents } from '../../src/lib/server/ingest';
import { aModelVersion, writeRegistry } from '../fixtures/model-registry';
import { aSubscriptionWorld } from '../fixtures/subscriptions';
import { againstBestBaseline } from '../../src/lib/shared/baseline-compare-text';
import { validationCutoffText } from '../../src/lib/shared/cutoff-range';

let dir: string;
let dbPath: string;
let models: string;
let saved: Config;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-train-target-cli-'));
	dbPath = join(dir, 'cx.duckdb');
	models = join(dir, 'models');
	saved = { ...config() };
	const db = await getDb(dbPath);
	const r = await ingestEvents(
		db,
		aSubscriptionWorld().withCustomers(50).from('2024-01-01').forDays(200).withSeed(11).build(),
		{ source: 'test', now: new Date('2025-01-01T00:00:00Z') }
	);
	expect(r.ok).toBe(true);
	await shutdownDb(dbPath);
	// A champion (metadata only: it cannot score, so no comparison is recorded) predicting inactivity within 30 days.
	writeRegistry(models, [aModelVersion('v0001').withTarget('inactivity', 30).build()]);
	expect(promoteModel(models, 'v0001', { by: 'test' }).ok).toBe(true);
});

afterEach(() => void overrideConfig(saved));

afterAll(async () => {
	await shutdownDb(dbPath);
	rmSync(dir, { recursive: true, force: true });
});

describe('cx train against a champion with another target', () => {
	it('saves the version with what the flags say, records its churned validation customers, and warns', async () => {
		overrideConfig({ modelsDir: models });
		const { code, out, err } = await runCli(['train', '--horizon-days', '30', '--epochs', '1', '--churn-definition', 'cancellation', '--db', dbPath]);
		expect(code, err.join('\n')).toBe(0);
		expect(listVersions(models)).toEqual(['v0001', 'v0002']);
		const meta = readMetadata(models, 'v0002');
		expect([meta.definition, meta.horizon_days]).toEqual(['cancellation', 30]);
		const churned = /: (\d+) customers, (\d+) churned$/.exec(
			out.find((l) => l.startsWith('cancellation churn, horizon 30 days; validation ')) ?? ''
		);
		expect(meta.data_size).toEqual({
			train_rows: expect.any(Number),
			validation_rows: Number(churned?.[1]),
			validation_positives: Number(churned?.[2])
		});
		// The validation split named as the cutoff that reproduces it, and the Models page's end line.
		expect(out).toContain(`cancellation churn, horizon 30 days; ${validationCutoffText(meta.data_window.validation_as_of)}: ${churned?.[1]} customers, ${churned?.[2]} churned`);
		expect(validationCutoffText(meta.data_window.validation_as_of)).toMatch(/^validation cutoff \d{4}-\d\d-\d\d \(features up to that day\)$/);
		expect(out).toContain(`saved v0002 — ${againstBestBaseline(meta.metrics, meta.baseline_metrics)}`);
		// The table rounds as the Models page and that end line do (ROC-AUC and PR-AUC 3 decimals, Brier and ECE 4, lift 3.09×).
		type Figures = { auc: number; pr_auc: number; brier: number; ece: number; lift_at_10: number };
		const line = (name: string, m: Figures) =>
			`  ${name.padEnd(14)} auc ${m.auc.toFixed(3)}  pr_auc ${m.pr_auc.toFixed(3)}  brier ${m.brier.toFixed(4)}  ece ${m.ece.toFixed(4)}  lift@10% ${m.lift_at_10.toFixed(2)}×`;
		expect(out.filter((l) => /^ {2}(model|recency|rfm_logistic|champion) /.test(l))).toEqual([
			line('model', meta.metrics),
			line('recency', meta.baseline_metrics.recency),
			line('rfm_logistic', meta.baseline_metrics.rfm_logistic)
		]);
		expect(err).toContain(
			"warning: v0002 predicts cancellation churn within 30 days, the champion v0001 inactivity churn within 30 days (another churn definition): promoting it changes what every customer's P(churn) means, and its figures were measured on other labels than v0001's"
		);
	}, 60_000);
});

describe('cx train checks its flags as POST /api/v1/models/train does', () => {
	/** The recorded training runs, read with the database closed again afterwards. */
	async function runCount(): Promise<number> {
		const db = await getDb(dbPath);
		try {
			return (await listTrainRuns(db, 1000)).length;
		} finally {
			await shutdownDb(dbPath);
		}
	}

	it('refuses each bad flag by name, with the API\'s message, before opening the database (exit 2)', async () => {
		overrideConfig({ modelsDir: models });
		const before = await runCount();
		const cases: [string[], string][] = [
			[['--epochs', '501'], '--epochs 501: must be a whole number from 1 to 500'],
			[['--epochs', '2.5'], '--epochs 2.5: must be a whole number from 1 to 500'],
			[['--horizon-days', '0'], '--horizon-days 0: must be a whole number of days from 1 to 3650'],
			[['--horizon-days', 'ninety'], '--horizon-days ninety: must be a whole number of days from 1 to 3650'],
			[['--churn-definition', 'vibes'], '--churn-definition vibes: must be one of auto, inactivity, cancellation'],
			[['--cutoff', '2024-02-30'], '--cutoff 2024-02-30: is not a valid date'],
			[['--cutoff', 'last week'], '--cutoff "last week": must be a date (YYYY-MM-DD)']
		];
		for (const [flags, message] of cases) {
			const r = await runCli(['train', ...flags, '--db', dbPath]);
			expect([r.code, r.err[0]], flags.join(' ')).toEqual([2, `cx train: ${message}`]);
			expect(r.out).toEqual([]);
		}
		expect(listVersions(models)).toEqual(['v0001', 'v0002']);
		expect(await runCount()).toBe(before);
	});

	it('refuses a cutoff or horizon the data cannot support before recording a run, so `cx models` reports no failure', async () => {
		overrideConfig({ modelsDir: models });
		const before = await runCount();
		const cases: [string[], RegExp][] = [
			[
				['--cutoff', '2020-01-01'],
				/^cx train: 2020-01-01 is too early for a 90-day horizon: the model's first training snapshot is 28 days before the cutoff and needs 28 days of history before it \(events start 2024-01-0\d\); the cutoffs that work are 2024-02-2\d to 2024-04-\d\d$/
			],
			[
				['--horizon-days', '400'],
				/^cx train: the data runs from 2024-01-0\d to 2024-07-\d\d, too short for a 400-day horizon: .*; the longest horizon this data allows is 1\d\d days$/
			],
			[['--cutoff', '2030-01-01'], /^cx train: the validation labels need events up to 2030-04-01 .* The latest cutoff that works for a 90-day horizon is 2024-04-\d\d$/]
		];
		for (const [flags, message] of cases) {
			const r = await runCli(['train', ...flags, '--db', dbPath]);
			expect(r.code, flags.join(' ')).toBe(1);
			expect(r.err).toEqual([expect.stringMatching(message)]);
			expect(r.out).toEqual([]);
		}
		expect(await runCount()).toBe(before);
		const m = await runCli(['models', '--db', dbPath]);
		expect(m.code, m.err.join('\n')).toBe(0);
		expect(m.out.filter((l) => l.startsWith('last training run'))).toEqual([]);
	});
});
