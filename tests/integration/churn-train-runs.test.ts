// Training runs end up in train_runs however they end, and a cancelled run stops its training process,
// saves no version and says so: trainChallenger (the server's and the CLI's one training function) on a
// tiny subscription world, and `cx train` interrupted with Ctrl-C as a real process; `cx models` names the
// newest run's error when it failed.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/lib/server/auth/audit';
import { RunControl } from '../../src/lib/server/churn/run-control';
import { cancelTrainChallenger, trainChallenger } from '../../src/lib/server/churn/train-job';
import { trainInChildProcess } from '../../src/lib/server/churn/train-process';
import { getBacktestRun, recordBacktestStart } from '../../src/lib/server/churn/backtest-runs';
import { getTrainRun, listTrainRuns, LOST_RUN_ERROR, recordTrainRunStart } from '../../src/lib/server/churn/train-runs';
import { config, overrideConfig } from '../../src/lib/server/config';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { ingestEvents } from '../../src/lib/server/ingest';
import { liveHub } from '../../src/lib/server/live/hub';
import type { TrainProgressPayload } from '../../src/lib/shared/live-events';
import { aSubscriptionWorld } from '../fixtures/subscriptions';
import { runCli } from '../helpers/cli';
import { childProcesses } from '../helpers/processes';
import { ROOT } from '../helpers/server';
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

/** Everything in the registry folder: versions, and any temp folder a half-written save would leave. */
const registryEntries = () => readdirSync(models).filter((f) => f !== 'manifest.json');

/** Training worker processes this test process started. */
const ownTrainingWorkers = () => childProcesses(process.pid, 'train-worker');

describe('recorded runs', () => {
	it('a run that saves a version is recorded with it, its resolved target and validation cutoff', async () => {
		const r = await trainChallenger(t.db, { horizonDays: 30, epochs: 2, definition: 'auto', by: 'ana', modelsDir: models, runId: 'run-ok', asOf: new Date('2024-06-10T00:00:00Z') });
		if (!r.ok) throw new Error(r.error);
		expect(await getTrainRun(t.db, 'run-ok')).toMatchObject({
			state: 'succeeded',
			started_by: 'ana',
			churn_definition: 'cancellation',
			horizon_days: 30,
			validation_as_of: '2024-06-10T00:00:00.000Z',
			version: r.value.version,
			error: null,
			finished_at: expect.any(String)
		});
	}, 60_000);

	it('a run that fails is recorded with its error', async () => {
		const r = await trainChallenger(t.db, { horizonDays: 30, definition: 'auto', by: 'ana', modelsDir: models, runId: 'run-late', asOf: new Date('2024-07-10T00:00:00Z') });
		expect(r.ok).toBe(false);
		const run = await getTrainRun(t.db, 'run-late');
		expect(run).toMatchObject({ state: 'failed', version: null, error: (r as { error: string }).error });
		expect(run?.error).toMatch(/^the validation labels need events up to 2024-08-08/);
	});
});

describe('cancelling', () => {
	it('only one of the run and a cancel ends it', () => {
		const ending = new RunControl();
		expect(ending.finish()).toBe(true);
		expect(ending.cancel('bob')).toBe(false);
		expect(ending.signal.aborted).toBe(false);
		const cancelled = new RunControl();
		expect(cancelled.cancel('bob')).toBe(true);
		expect(cancelled.finish()).toBe(false);
		expect([cancelled.signal.aborted, cancelled.cancelledBy]).toEqual([true, 'bob']);
	});

	it('during training ends the child process, saves nothing, records who cancelled and publishes cancelled', async () => {
		const before = registryEntries();
		const payloads: TrainProgressPayload[] = [];
		const unsubscribe = liveHub().subscribe((f) => {
			if (f.event !== 'train-progress') return;
			const data = new TextDecoder().decode(f.bytes).split('\n').find((l) => l.startsWith('data: '))!;
			payloads.push(JSON.parse(data.slice(6)) as TrainProgressPayload);
		});
		const control = new RunControl();
		let cancel: ReturnType<typeof cancelTrainChallenger> | null = null;
		let workersWhileTraining: number[] = [];
		try {
			const r = await trainChallenger(t.db, {
				horizonDays: 30,
				epochs: 200,
				definition: 'auto',
				by: 'ana',
				modelsDir: models,
				runner: trainInChildProcess(process.cwd()),
				publishRunId: 'run-cancel',
				control,
				// The first epoch's progress comes from the child: it is training now.
				onProgress: () => {
					if (cancel) return;
					workersWhileTraining = ownTrainingWorkers();
					cancel = cancelTrainChallenger(t.db, { runId: 'run-cancel', control, by: 'bob', publishRunId: 'run-cancel' });
				}
			});
			expect(r).toEqual({ ok: false, error: 'cancelled by bob', cancelled: true });
			const c = await cancel!;
			expect(c.ok).toBe(true);
		} finally {
			unsubscribe();
		}
		expect(workersWhileTraining).toHaveLength(1);
		await expect.poll(() => ownTrainingWorkers(), { timeout: 10_000 }).toEqual([]);
		expect(registryEntries()).toEqual(before);
		expect(await getTrainRun(t.db, 'run-cancel')).toMatchObject({ state: 'cancelled', cancelled_by: 'bob', started_by: 'ana', version: null, error: null });
		expect((await listAudit(t.db, 1)).map((a) => [a.actor, a.action, a.subject])).toEqual([['bob', 'model.train-cancel', 'run-cancel']]);
		const phases = payloads.map((p) => p.phase);
		expect(phases).toContain('training');
		expect(phases.at(-1)).toBe('cancelled');
		expect(phases.filter((p) => p === 'cancelled' || p === 'done' || p === 'failed')).toEqual(['cancelled']);
		expect(payloads.at(-1)).toMatchObject({ runId: 'run-cancel', message: 'cancelled by bob' });
		// A second cancel finds nothing to cancel.
		expect((await cancelTrainChallenger(t.db, { runId: 'run-cancel', control, by: 'bob' })).ok).toBe(false);
	}, 60_000);

	it('`cx train` interrupted with Ctrl-C exits 130, saves no version and records the run as cancelled', async () => {
		await shutdownDb(t.path);
		const before = registryEntries();
		let stdout = '';
		let stderr = '';
		const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'train', '--horizon-days', '30', '--epochs', '200', '--db', t.path], {
			cwd: ROOT,
			env: { ...process.env, CX_MODELS_DIR: models, CX_LOG_LEVEL: 'warn' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		const code = await new Promise<number | null>((resolve) => {
			child.stdout.on('data', (d: Buffer) => {
				stdout += d.toString();
				// Its first line: the run is recorded and Ctrl-C is handled; it is reading snapshots now.
				if (/^training run \S+ \(Ctrl-C cancels it/m.test(stdout) && !child.killed) child.kill('SIGINT');
			});
			child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
			child.on('exit', (c) => resolve(c));
		});
		expect(code, stderr).toBe(130);
		expect(stderr).toContain('cx train: interrupted; the run is recorded as cancelled and no version was saved');
		expect(registryEntries()).toEqual(before);
		t.db = await getDb(t.path);
		const runId = /^training run (\S+) /m.exec(stdout)![1];
		const [newest] = await listTrainRuns(t.db, 1);
		expect(newest).toMatchObject({ id: runId, state: 'cancelled', cancelled_by: userInfo().username, version: null });
	}, 60_000);

	it('`cx models` adds the error of the newest run when it failed, and nothing otherwise', async () => {
		const saved = { ...config() };
		overrideConfig({ modelsDir: models });
		try {
			// The newest run is the cancelled one above.
			const quiet = await runCli(['models', '--db', t.path]);
			expect(quiet.code, quiet.err.join('\n')).toBe(0);
			expect(quiet.out.filter((l) => l.startsWith('last training run'))).toEqual([]);
			t.db = await getDb(t.path);
			const late = await trainChallenger(t.db, { horizonDays: 30, definition: 'auto', by: 'ana', modelsDir: models, asOf: new Date('2024-07-10T00:00:00Z') });
			expect(late.ok).toBe(false);
			const r = await runCli(['models', '--db', t.path]);
			expect(r.code, r.err.join('\n')).toBe(0);
			expect(r.out.at(-1)).toMatch(/^last training run failed \(\d{4}-\d\d-\d\d \d\d:\d\d UTC, started by ana\): the validation labels need events up to 2024-08-08 /);
		} finally {
			overrideConfig(saved);
			t.db = await getDb(t.path);
		}
	});

	it('a run left `running` by a killed process reads failed once a command holds the file (`cx models`)', async () => {
		const saved = { ...config() };
		overrideConfig({ modelsDir: models });
		try {
			// A `cx train` and a `cx backtest` killed with -9: nothing recorded their ends.
			await recordTrainRunStart(t.db, { id: 'killed-train', by: 'zoe', definition: 'auto', horizonDays: 30 });
			await recordBacktestStart(t.db, { id: 'killed-backtest', by: 'zoe', cutoff: '2024-06-01', horizonDays: 30, definition: 'auto' });
			const r = await runCli(['models', '--db', t.path]);
			expect(r.code, r.err.join('\n')).toBe(0);
			expect(r.out.at(-1)).toMatch(new RegExp(`^last training run failed \\(.* UTC, started by zoe\\): ${LOST_RUN_ERROR.replace(/[()]/g, '\\$&')}$`));
			t.db = await getDb(t.path);
			expect(await getTrainRun(t.db, 'killed-train')).toMatchObject({ state: 'failed', error: LOST_RUN_ERROR, finished_at: null });
			expect(await getBacktestRun(t.db, 'killed-backtest')).toMatchObject({ state: 'failed', error: LOST_RUN_ERROR, finished_at: null });
		} finally {
			overrideConfig(saved);
			t.db = await getDb(t.path);
		}
	});
});
