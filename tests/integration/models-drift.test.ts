// Drift of a real (tiny) champion on a generated world: one PSI per static input plus the score,
// zero when both windows are the same, and a clear reason when there is no champion.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDrift, computeDriftCached } from '../../src/lib/server/churn/drift';
import { childProcessEngine, inProcessEngine } from '../../src/lib/server/churn/score-engine';
import { fitChurnModel } from '../../src/lib/server/churn/fit';
import { metadataFor } from '../../src/lib/server/churn/model-metadata';
import { promoteModel, readMetadata, saveModel } from '../../src/lib/server/churn/registry';
import { ingestEvents } from '../../src/lib/server/ingest';
import { aSubscriptionWorld } from '../fixtures/subscriptions';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb;
let models: string;
const tiny = { epochs: 2, filters: 8, staticUnits: 8, headUnits: 8, batchSize: 64 };

beforeAll(async () => {
	t = await tempDb();
	models = mkdtempSync(join(tmpdir(), 'cx-drift-'));
	const events = aSubscriptionWorld().withCustomers(80).from('2024-01-01').forDays(200).withSeed(5).withSilentLeaving(0.3).build();
	expect((await ingestEvents(t.db, events, { source: 'test', now: new Date('2025-01-01T00:00:00Z') })).ok).toBe(true);
}, 60_000);

afterAll(async () => {
	await t.cleanup();
	rmSync(models, { recursive: true, force: true });
});

describe('computeDrift', () => {
	it('says there is nothing to compare without a champion', async () => {
		const r = await computeDrift(t.db, models);
		expect(r.ok).toBe(false);
		expect(!r.ok && r.error).toMatch(/no champion/);
	});

	it('gives one PSI per static input and for the score, zero for identical windows', async () => {
		const fit = await fitChurnModel(t.db, { asOf: new Date('2024-06-01T00:00:00Z'), horizonDays: 30, definition: 'inactivity', hyper: tiny });
		if (!fit.ok) throw new Error(fit.error);
		const version = saveModel(models, fit.value.bundle, metadataFor(fit.value, { by: 'test' }));
		expect(promoteModel(models, version, { by: 'test', force: true }).ok).toBe(true);
		const meta = readMetadata(models, version);

		const r = await computeDrift(t.db, models);
		if (!r.ok) throw new Error(r.error);
		const d = r.value;
		expect(d.version).toBe(version);
		expect(d.features.map((f) => f.name)).toEqual(meta.features.static);
		expect(d.reference.customers).toBeGreaterThan(0);
		expect(d.current.customers).toBeGreaterThan(0);
		expect(d.reference.to).toBe([...meta.data_window.train_as_of].sort().at(-1));
		for (const f of [d.score, ...d.features]) {
			expect(Number.isFinite(f.psi)).toBe(true);
			expect(f.psi).toBeGreaterThanOrEqual(0);
			expect(f.warning).toBe(f.psi > 0.2);
			expect(f.reference.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
		}
		expect(d.warnings).toBe([d.score, ...d.features].filter((f) => f.warning).length);

		const same = await computeDrift(t.db, models, { now: new Date(d.reference.to) });
		if (!same.ok) throw new Error(same.error);
		for (const f of [same.value.score, ...same.value.features]) expect(f.psi).toBeCloseTo(0, 9);
		expect(same.value.warnings).toBe(0);

		// The server runs the network in its scoring process (the report's forward passes held its
		// event loop for 45 s on 160,000 customers): the same report from there.
		const engine = childProcessEngine(process.cwd());
		try {
			const viaChild = await computeDrift(t.db, models, { engine });
			if (!viaChild.ok) throw new Error(viaChild.error);
			expect(viaChild.value.score.psi).toBeCloseTo(d.score.psi, 9);
			expect(viaChild.value.score.current).toEqual(d.score.current);
			expect(viaChild.value.features).toEqual(d.features);
		} finally {
			engine.close();
		}

		// The server shares one report per champion; the panel's Recompute asks for a new one.
		const first = await computeDriftCached(t.db, models, inProcessEngine);
		expect(await computeDriftCached(t.db, models, inProcessEngine)).toBe(first);
		const fresh = await computeDriftCached(t.db, models, inProcessEngine, { fresh: true });
		expect(fresh).not.toBe(first);
		if (!fresh.ok || !first.ok) throw new Error('drift failed');
		expect(fresh.value.score.psi).toBeCloseTo(first.value.score.psi, 9);
		expect(await computeDriftCached(t.db, models, inProcessEngine)).toBe(fresh);
	}, 120_000);
});
