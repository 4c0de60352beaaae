// The server's backtest job (backtest-server-job.ts) on a tiny subscription world, with the network fitted
// in a real training child process: the live phases of a run that succeeds, a cancel while the child
// trains (child ended, nothing stored, who cancelled in the run and the audit log), and a server stop
// while it trains (recorded failed, child ended). Over HTTP in models-backtest-api.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/lib/server/auth/audit';
import { BACKTEST_INTERRUPTED_ERROR, backtestScoresCsv, getBacktestRun } from '../../src/lib/server/churn/backtest-runs';
import { cancelBacktestJob, currentBacktestJob, interruptBacktestJob, startBacktestJob, whenBacktestSettles } from '../../src/lib/server/churn/backtest-server-job';
import { ingestEvents } from '../../src/lib/server/ingest';
import { liveHub } from '../../src/lib/server/live/hub';
import type { BacktestProgressJson } from '../../src/lib/shared/backtest-json';
import { aSubscriptionWorld } from '../fixtures/subscriptions';
import { childProcesses } from '../helpers/processes';
import { ROOT } from '../helpers/server';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb;
let models: string;
const CUTOFF = new Date('2024-07-01T00:00:00Z');

beforeAll(async () => {
	t = await tempDb();
	models = mkdtempSync(join(tmpdir(), 'cx-models-'));
	const events = aSubscriptionWorld().withCustomers(120).from('2024-01-01').forDays(240).withSeed(3).build();
	expect((await ingestEvents(t.db, events, { source: 'test', now: new Date('2025-01-01T00:00:00Z') })).ok).toBe(true);
});

afterAll(async () => {
	await t.cleanup();
	rmSync(models, { recursive: true, force: true });
});

/** Training worker processes this test process started. */
const ownTrainingWorkers = () => childProcesses(process.pid, 'train-worker');

/** Every backtest-progress payload published while `fn` runs; `onTraining` is called at the first training one. */
async function watching(fn: () => Promise<void>, onTraining?: (p: BacktestProgressJson) => void): Promise<BacktestProgressJson[]> {
	const payloads: BacktestProgressJson[] = [];
	let seen = false;
	const unsubscribe = liveHub().subscribe((f) => {
		if (f.event !== 'backtest-progress') return;
		const data = new TextDecoder().decode(f.bytes).split('\n').find((l) => l.startsWith('data: '))!;
		const p = JSON.parse(data.slice(6)) as BacktestProgressJson;
		payloads.push(p);
		if (p.phase === 'training' && !seen) {
			seen = true;
			onTraining?.(p);
		}
	});
	try {
		await fn();
	} finally {
		unsubscribe();
	}
	return payloads;
}

const start = (epochs: number) => startBacktestJob(t.db, { by: 'ana', modelsDir: models, root: ROOT, cutoff: CUTOFF, horizonDays: 30, epochs });

describe('the server backtest job', () => {
	it('a run that succeeds goes features → training → evaluating → done, and stores its figures and scores', async () => {
		let runId = '';
		const payloads = await watching(async () => {
			const r = await start(3);
			if (!r.ok) throw new Error(JSON.stringify(r));
			runId = r.value.run_id;
			expect(currentBacktestJob()).toMatchObject({ run_id: runId, started_by: 'ana', cutoff: '2024-07-01' });
			await whenBacktestSettles();
		});
		const phases = payloads.map((p) => p.phase).filter((p, i, a) => p !== a[i - 1]);
		expect(phases).toEqual(['features', 'training', 'evaluating', 'done']);
		expect(payloads.every((p) => p.runId === runId)).toBe(true);
		expect(payloads.at(-1)!.message).toMatch(/^ROC-AUC 0\.\d{4} against the best baseline's 0\.\d{4} \([+−]0\.\d{4}\), \d+ customers, \d+ churned$/);
		const run = await getBacktestRun(t.db, runId);
		expect(run).toMatchObject({ state: 'succeeded', churn_definition: 'cancellation', has_scores: true, finished_at: expect.any(String) });
		expect((await backtestScoresCsv(t.db, runId))!.split('\n').filter(Boolean)).toHaveLength(run!.population! + 1);
		expect(currentBacktestJob()).toBeNull();
	}, 90_000);

	it('a cancel while the child trains ends it, stores nothing, and records who cancelled', async () => {
		let runId = '';
		let cancelling: ReturnType<typeof cancelBacktestJob> | null = null;
		let workersWhileTraining: number[] = [];
		const payloads = await watching(
			async () => {
				const r = await start(400);
				if (!r.ok) throw new Error(JSON.stringify(r));
				runId = r.value.run_id;
				await whenBacktestSettles();
				// The run ends as soon as its child does; the cancel publishes once it has recorded the end.
				expect((await cancelling!).ok).toBe(true);
			},
			() => {
				workersWhileTraining = ownTrainingWorkers();
				cancelling = cancelBacktestJob(t.db, { by: 'bob', runId });
			}
		);
		expect(workersWhileTraining).toHaveLength(1);
		await expect.poll(() => ownTrainingWorkers(), { timeout: 10_000 }).toEqual([]);
		expect(await getBacktestRun(t.db, runId)).toMatchObject({ state: 'cancelled', cancelled_by: 'bob', started_by: 'ana', has_scores: false, summary: null, error: null });
		expect((await listAudit(t.db, 1)).map((a) => [a.actor, a.action, a.subject])).toEqual([['bob', 'model.backtest-cancel', runId]]);
		expect(payloads.filter((p) => ['done', 'failed', 'cancelled'].includes(p.phase)).map((p) => [p.phase, p.message])).toEqual([['cancelled', 'cancelled by bob']]);
		expect(currentBacktestJob()).toBeNull();
	}, 90_000);

	it('a server stop while the child trains ends it and records the run failed', async () => {
		let runId = '';
		let stopping: Promise<void> | null = null;
		await watching(
			async () => {
				const r = await start(400);
				if (!r.ok) throw new Error(JSON.stringify(r));
				runId = r.value.run_id;
				await whenBacktestSettles();
			},
			() => {
				stopping = interruptBacktestJob(t.db);
			}
		);
		await stopping!;
		await expect.poll(() => ownTrainingWorkers(), { timeout: 10_000 }).toEqual([]);
		expect(await getBacktestRun(t.db, runId)).toMatchObject({ state: 'failed', error: BACKTEST_INTERRUPTED_ERROR, has_scores: false });
	}, 90_000);
});
