import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { championOnSnapshot } from '../../src/lib/server/churn/champion-compare';
import { listModels } from '../../src/lib/server/churn/models-overview';
import { listVersions, promoteModel, readManifest, readMetadata } from '../../src/lib/server/churn/registry';
import { inProcessEngine } from '../../src/lib/server/churn/score-engine';
import { trainChallenger } from '../../src/lib/server/churn/train-job';
import { trainInChildProcess } from '../../src/lib/server/churn/train-process';
import { ingestEvents } from '../../src/lib/server/ingest';
import { liveHub } from '../../src/lib/server/live/hub';
import { aSubscriptionWorld } from '../fixtures/subscriptions';
import { ROOT } from '../helpers/server';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb;
let models: string;

beforeAll(async () => {
	t = await tempDb();
	models = mkdtempSync(join(tmpdir(), 'cx-models-'));
	const events = aSubscriptionWorld().withCustomers(50).from('2024-01-01').forDays(200).withSeed(11).withSilentLeaving(0.3).build();
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
		expect(readMetadata(models, 'v0001').champion_comparison).toBeUndefined();
	});

	it("a challenger records the champion's figures on its own validation customers", async () => {
		expect(promoteModel(models, 'v0001', { by: 'tester', force: true }).ok).toBe(true);
		const r = await trainChallenger(t.db, { horizonDays: 30, epochs: 2, definition: 'auto', by: 'tester', modelsDir: models, asOf: new Date('2024-06-20T00:00:00Z') });
		if (!r.ok) throw new Error(r.error);
		expect(r.value.version).toBe('v0002');
		const cc = readMetadata(models, 'v0002').champion_comparison;
		expect(cc?.version).toBe('v0001');
		expect(r.value.champion).toEqual(cc && { version: 'v0001', metrics: expect.objectContaining(cc.metrics) });
		for (const k of ['auc', 'pr_auc', 'brier', 'ece'] as const) {
			expect(cc!.metrics[k]).toBeGreaterThanOrEqual(0);
			expect(cc!.metrics[k]).toBeLessThanOrEqual(1);
		}
		// The same path with the challenger itself in the champion's place gives the challenger's own
		// validation figures: same customers, labels and encoding as its training run measured them.
		const self = await championOnSnapshot(
			t.db,
			{ modelsDir: models, version: 'v0002', engine: inProcessEngine },
			{ asOf: new Date('2024-06-20T00:00:00Z'), horizonDays: 30, definition: r.value.fit.bundle.definition }
		);
		const own = readMetadata(models, 'v0002').metrics;
		expect(self.auc).toBeCloseTo(own.auc, 6);
		expect(self.pr_auc).toBeCloseTo(own.pr_auc, 6);
		expect(self.brier).toBeCloseTo(own.brier, 6);
		expect(listModels(models).versions.find((v) => v.version === 'v0002')?.champion_comparison?.version).toBe('v0001');
	}, 120_000);

	it('a training process whose server is killed mid-epoch ends at once and writes nothing', async () => {
		// A parent that starts one long epoch (about 10 s of wasm work without a yield) and is then killed.
		const script = join(models, 'parent.ts');
		const src = (f: string) => JSON.stringify(join(ROOT, 'src/lib/server/churn', f));
		writeFileSync(
			script,
			`import { trainInChildProcess } from ${src('train-process.ts')};
			import { DEFAULT_HYPER } from ${src('model.ts')};
			const L = 64, F = 8, S = 2;
			const set = (n: number) => ({ n, seq: Float32Array.from({ length: n * L * F }, (_, i) => (i % 7) / 7), stat: new Float32Array(n * S), labels: Uint8Array.from({ length: n }, (_, i) => i % 2) });
			trainInChildProcess(${JSON.stringify(ROOT)})({ seqLen: L, stepFeatures: F, staticFeatures: S, hyper: { ...DEFAULT_HYPER, epochs: 1 }, train: set(30000), val: set(64) }).then(() => console.log('finished'));`
		);
		const parent = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		parent.stdout!.on('data', (d: Buffer) => (out += d.toString()));
		parent.stderr!.on('data', (d: Buffer) => (out += d.toString()));
		const workerOf = (ppid: number) =>
			readdirSync('/proc')
				.filter((d) => /^\d+$/.test(d))
				.filter((pid) => {
					try {
						return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]) === ppid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('train-worker');
					} catch {
						return false;
					}
				})
				.map(Number);
		let child = 0;
		try {
			await expect.poll(() => (child = workerOf(parent.pid!)[0] ?? 0), { timeout: 20_000, interval: 100 }).toBeGreaterThan(0);
			// The worker has its input and is inside the epoch once its backend has loaded.
			await new Promise((r) => setTimeout(r, 2_000));
			const killed = Date.now();
			parent.kill('SIGKILL');
			await expect.poll(() => existsProc(child), { timeout: 3_000, interval: 50 }).toBe(false);
			expect(Date.now() - killed).toBeLessThan(3_000);
			// Whatever the orphan would print (EPIPE) reached the pipe it shared with its parent; give it a moment.
			await new Promise((r) => setTimeout(r, 300));
			expect(out).not.toMatch(/EPIPE|Error|finished/);
		} finally {
			parent.kill('SIGKILL');
			if (child && existsProc(child)) process.kill(child, 'SIGKILL');
		}
	}, 60_000);
});

function existsProc(pid: number): boolean {
	try {
		// A zombie is gone for our purposes: it runs nothing.
		return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return false;
	}
}
