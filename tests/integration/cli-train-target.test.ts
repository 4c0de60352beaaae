// `cx train` takes its target from its flags (defaults auto and 90 days, as documented), not from the
// champion as the Models page does; when the two differ it says so, since the new version's figures are
// then not comparable with the champion's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { listVersions, promoteModel, readMetadata } from '../../src/lib/server/churn/registry';
import { config, overrideConfig, type Config } from '../../src/lib/server/config';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { ingestEvents } from '../../src/lib/server/ingest';
import { aModelVersion, writeRegistry } from '../fixtures/model-registry';
import { aSubscriptionWorld } from '../fixtures/subscriptions';

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
		expect(err).toContain(
			"warning: v0002 predicts cancellation churn within 30 days, the champion v0001 inactivity churn within 30 days (another churn definition): promoting it changes what every customer's P(churn) means, and its figures were measured on other labels than v0001's"
		);
	}, 60_000);
});
