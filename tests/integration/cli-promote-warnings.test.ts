// `cx promote` warns on stderr as the Models page's promote dialog does (and still promotes): a version
// that ranked its validation customers worse than the champion of its time, or that predicts another
// churn definition or horizon than the champion it replaces.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../helpers/cli';
import { readManifest, promoteModel } from '../../src/lib/server/churn/registry';
import { config, overrideConfig, type Config } from '../../src/lib/server/config';
import { aModelVersion, writeRegistry } from '../fixtures/model-registry';

let dir: string;
let saved: Config;

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'cx-promote-warn-'));
	saved = { ...config() };
});
afterEach(() => void overrideConfig(saved));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cx(models: string, args: string[]): Promise<CliRun> {
	overrideConfig({ modelsDir: models });
	return runCli(args);
}

function registry(
	name: string,
	...versions: ReturnType<ReturnType<typeof aModelVersion>['build']>[]
): string {
	const models = join(dir, name);
	writeRegistry(models, versions);
	expect(promoteModel(models, 'v0001', { by: 'test' }).ok).toBe(true);
	return models;
}

describe('cx promote', () => {
	it('warns when the version ranked the same validation customers worse than the champion of its time, and promotes', async () => {
		const models = registry(
			'worse',
			aModelVersion('v0001').withTarget('inactivity', 30).withAuc(0.8792).build(),
			aModelVersion('v0003')
				.withTarget('inactivity', 30)
				.withAuc(0.8696)
				.withChampionComparison('v0001', 0.8792)
				.build()
		);
		const r = await cx(models, ['promote', 'v0003']);
		expect(r.code).toBe(0);
		expect(r.err).toEqual([
			'warning: v0003 ranks its validation customers worse than v0001 did (ROC-AUC 0.8696 vs 0.8792 on the same customers)'
		]);
		expect(r.out).toEqual(['v0003 is now the champion']);
		expect(readManifest(models).champion).toBe('v0003');
	});

	it('warns when the version predicts another churn definition than the champion it replaces', async () => {
		const models = registry(
			'target',
			aModelVersion('v0001').withTarget('inactivity', 30).build(),
			aModelVersion('v0002').withTarget('cancellation', 30).withAuc(0.9).build()
		);
		const r = await cx(models, ['promote', 'v0002']);
		expect(r.code).toBe(0);
		expect(r.err).toEqual([
			"warning: v0002 predicts cancellation churn within 30 days, the champion v0001 inactivity churn within 30 days (another churn definition): promoting it changes what every customer's P(churn) means, and its figures were measured on other labels than v0001's"
		]);
		expect(readManifest(models).champion).toBe('v0002');
	});

	it('says nothing more for a comparable version that beats both', async () => {
		const models = registry(
			'better',
			aModelVersion('v0001').withTarget('inactivity', 30).withAuc(0.85).build(),
			aModelVersion('v0002')
				.withTarget('inactivity', 30)
				.withAuc(0.9)
				.withChampionComparison('v0001', 0.85)
				.build()
		);
		const r = await cx(models, ['promote', 'v0002']);
		expect([r.code, r.err, r.out]).toEqual([0, [], ['v0002 is now the champion']]);
	});

	it('still refuses a version below the baselines without --force, with no warnings before the refusal', async () => {
		const models = registry(
			'weak',
			aModelVersion('v0001').build(),
			aModelVersion('v0002').withAuc(0.6).withBaselineAuc(0.7, 0.72).build()
		);
		const refused = await cx(models, ['promote', 'v0002']);
		expect(refused.code).toBe(1);
		expect(refused.err).toEqual([
			'cx promote: v0002 does not beat the baselines on ROC-AUC (0.6 vs recency 0.7, RFM 0.72); use --force to promote anyway'
		]);
		const forced = await cx(models, ['promote', 'v0002', '--force']);
		expect(forced.code).toBe(0);
		expect(forced.err).toEqual([
			'warning: v0002 does not beat the baselines on ROC-AUC (0.6000 vs recency 0.7000, RFM 0.7200); promoting it overrides that check'
		]);
	});
});
