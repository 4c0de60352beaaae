// The in-process score engine (also the server's scoring child) keeps one network and disposes it when
// another version lands: requests for two versions arriving together must not use a network disposed
// under them. The bundled v0001 is copied as v0001 and v0002; for each delay k the v0001 request starts
// k microtasks after the v0002 load began, sweeping the moment that load replaces the cached network.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMetadata } from '../../src/lib/server/churn/registry';
import { inProcessEngine } from '../../src/lib/server/churn/score-engine';
import { loadSnapshot, type RawSnapshot } from '../../src/lib/server/churn/snapshot';
import { ingestEvents } from '../../src/lib/server/ingest';
import { tempDb, tempDirForFile, type TempDb } from '../helpers/temp-db';

const dir = tempDirForFile('cx-engine-versions-');
const models = join(dir, 'models');
let t: TempDb;
let raw: RawSnapshot;

beforeAll(async () => {
	cpSync('models/churn/v0001', join(models, 'v0001'), { recursive: true });
	cpSync('models/churn/v0001', join(models, 'v0002'), { recursive: true });
	t = await tempDb();
	const day = 86_400_000;
	const start = Date.parse('2026-10-01T12:00:00Z');
	const events = [];
	for (let c = 0; c < 6; c++)
		for (let i = 0; i < 8; i++)
			events.push({
				event_id: `e-${c}-${i}`,
				customer_id: `c${c}`,
				occurred_at: new Date(start + (c + i * 5) * day).toISOString(),
				type: i % 3 === 0 ? 'purchase' : 'visit',
				channel: 'web',
				...(i % 3 === 0 ? { value: 20 + c } : {})
			});
	expect(await ingestEvents(t.db, events, { source: 'test' })).toMatchObject({ ok: true });
	const spec = readMetadata(models, 'v0001').spec;
	raw = await loadSnapshot(t.db, {
		asOf: new Date('2026-11-20T00:00:00Z'),
		horizonDays: 30,
		definition: 'inactivity',
		withLabels: false,
		types: spec.types,
		channels: spec.channels
	});
});

afterAll(async () => {
	await t?.cleanup();
});

describe('in-process score engine', () => {
	it('answers requests for two versions that overlap, whatever their timing', async () => {
		expect(raw.ids.length).toBe(6);
		const v1 = { modelsDir: models, version: 'v0001' };
		const v2 = { modelsDir: models, version: 'v0002' };
		const expected = await inProcessEngine.predict(v1, raw);
		const failures: string[] = [];
		for (let k = 0; k < 16; k++) {
			await inProcessEngine.predict(v1, raw);
			const p2 = inProcessEngine.predict(v2, raw);
			for (let i = 0; i < k; i++) await null;
			const p1 = inProcessEngine.predict(v1, raw);
			for (const r of await Promise.allSettled([p2, p1])) {
				if (r.status === 'rejected') failures.push(`k=${k}: ${String(r.reason)}`);
				// Same weights under both names: the same probabilities.
				else expect(Array.from(r.value)).toEqual(Array.from(expected));
			}
		}
		expect(failures).toEqual([]);
	}, 60_000);
});
