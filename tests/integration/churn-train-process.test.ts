import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listVersions, readManifest } from '../../src/lib/server/churn/registry';
import { trainChallenger } from '../../src/lib/server/churn/train-job';
import { trainInChildProcess } from '../../src/lib/server/churn/train-process';
import { ingestEvents } from '../../src/lib/server/ingest';
import { liveHub } from '../../src/lib/server/live/hub';
import { aSubscriptionWorld } from '../fixtures/subscriptions';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb;
let models: string;

beforeAll(async () => {
	t = await tempDb();
	models = mkdtempSync(join(tmpdir(), 'cx-models-'));
	const events = aSubscriptionWorld().withCustomers(50).from('2024-01-01').forDays(200).withSeed(11).build();
	expect((await ingestEvents(t.db, events, { source: 'test', now: new Date('2025-01-01T00:00:00Z') })).ok).toBe(true);
});

afterAll(async () => {
	await t.cleanup();
	rmSync(models, { recursive: true, force: true });
});

describe('training in a child process', () => {
	it('trains off the main process, reports progress as train-progress live events and saves a challenger', async () => {
		const frames: string[] = [];
		const unsubscribe = liveHub().subscribe((f) => {
			if (f.event === 'train-progress') frames.push(new TextDecoder().decode(f.bytes));
		});
		let ticks = 0;
		const timer = setInterval(() => ticks++, 20);
		try {
			const r = await trainChallenger(t.db, {
				horizonDays: 30,
				epochs: 3,
				definition: 'auto',
				by: 'tester',
				modelsDir: models,
				runner: trainInChildProcess(process.cwd()),
				publishRunId: 'run-1'
			});
			if (!r.ok) throw new Error(r.error);
			expect(r.value.version).toBe('v0001');
			expect(r.value.fit.bundle.definition).toBe('cancellation');
		} finally {
			clearInterval(timer);
			unsubscribe();
		}
		expect(listVersions(models)).toEqual(['v0001']);
		expect(readManifest(models).champion).toBeNull();
		const payloads = frames.map((f) => JSON.parse(f.split('\n').find((l) => l.startsWith('data: '))!.slice(6)));
		expect(payloads.filter((p) => p.phase === 'training').map((p) => p.epoch)).toEqual([1, 2, 3]);
		expect(payloads.at(-1)).toMatchObject({ runId: 'run-1', phase: 'done' });
		// The event loop kept running while the child trained.
		expect(ticks).toBeGreaterThan(5);
	});
});
