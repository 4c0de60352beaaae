import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { checkHealth } from './health';

let t: TempDb | undefined;
afterEach(async () => {
	await t?.cleanup();
	t = undefined;
});

describe('checkHealth', () => {
	it('reports no events and no model on an empty install', async () => {
		t = await tempDb();
		const h = await checkHealth(async () => t!.db, join(t.dir, 'no-models'));
		expect(h).toMatchObject({ status: 'ok', db: 'ok', last_event_age_s: null, model_version: null });
	});

	it('reports the newest event age and the champion', async () => {
		t = await tempDb();
		const models = mkdtempSync(join(tmpdir(), 'cx-models-'));
		writeFileSync(join(models, 'manifest.json'), JSON.stringify({ champion: 'v0007', history: [] }));
		await t.db.run(
			`INSERT INTO events (event_id, customer_id, occurred_at, channel, type, source, ingested_at)
			 VALUES ('e1', 'c1', TIMESTAMP '2026-01-01', 'web', 'visit', 'test', (now() AT TIME ZONE 'UTC') - INTERVAL 90 SECOND)`
		);
		const h = await checkHealth(async () => t!.db, models);
		expect(h.model_version).toBe('v0007');
		expect(h.last_event_age_s).toBeGreaterThanOrEqual(89);
		expect(h.last_event_age_s).toBeLessThan(120);
	});

	it('is degraded, not thrown, when the database fails', async () => {
		const h = await checkHealth(() => Promise.reject(new Error('disk gone')), '/nonexistent');
		expect(h).toMatchObject({ status: 'degraded', db: 'error' });
	});
});
