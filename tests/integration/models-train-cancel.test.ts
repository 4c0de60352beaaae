// DELETE /api/v1/models/train over real HTTP against the built server on a tiny database: a running
// training is cancelled (200), the run is recorded as cancelled by the caller, no version appears in the
// registry and no training process is left; a second cancel is a 409, other roles are refused, and a new
// run can start at once. Also the restart rule: a run the previous server left `running` reads as failed,
// and a server stopped during training ends it at once and records it so.
// (Cancelling while the child process trains is in churn-train-runs.test.ts, where the moment is certain.)
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { listAudit } from '../../src/lib/server/auth/audit';
import { getTrainRun, INTERRUPTED_ERROR, recordTrainRunStart, type TrainRun } from '../../src/lib/server/churn/train-runs';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { ingestEvents } from '../../src/lib/server/ingest';
import { aSubscriptionWorld } from '../fixtures/subscriptions';
import { childProcesses } from '../helpers/processes';
import { startServer, type TestServer } from '../helpers/server';
import { signInOver } from './auth-http';

const ROLES = { analyst: 'analyst', exec: 'executive', retention: 'retention' } as const;
type Who = keyof typeof ROLES;
let server: TestServer;
let dir: string;
let modelsDir: string;
const keys = {} as Record<Who, string>;
let adminPassword: string;

async function call(who: Who, method: string, path: string, body?: unknown): Promise<{ status: number; data: Record<string, unknown> }> {
	const r = await fetch(`${server.url}${path}`, {
		method,
		headers: { authorization: `Bearer ${keys[who]}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const text = await r.text();
	return { status: r.status, data: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

interface Listing {
	training: { runId: string; status: string; cancelledBy: string | null } | null;
	recent_runs: TrainRun[];
}
const listing = async () => (await call('analyst', 'GET', '/api/v1/models')).data as unknown as Listing;

/** Training worker processes of the test server started. */
const serverTrainingWorkers = () => childProcesses(server.proc.pid!, 'train-worker');

/** Versions, and any temp folder a half-written save would leave. */
const registry = () => readdirSync(modelsDir).filter((f) => f !== 'manifest.json');

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-train-cancel-'));
	modelsDir = join(dir, 'models');
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		const events = aSubscriptionWorld().withCustomers(50).from('2024-01-01').forDays(200).withSeed(11).build();
		expect((await ingestEvents(db, events, { source: 'test', now: new Date('2025-01-01T00:00:00Z') })).ok).toBe(true);
		for (const [name, scope] of Object.entries(ROLES)) {
			const k = await createApiKey(db, { name, scope, createdBy: 'test' });
			if (!k.ok) throw new Error(k.error);
			keys[name as Who] = k.value.token;
		}
		// Last night's run, still `running` when its server went away.
		await recordTrainRunStart(db, { id: 'lost-run', by: 'ana', definition: 'inactivity', horizonDays: 30, now: new Date('2026-12-05T23:00:00Z') });
	} finally {
		await shutdownDb(dbPath);
	}
	mkdirSync(modelsDir);
	server = await startServer({ dir, env: { CX_MODELS_DIR: modelsDir } });
	adminPassword = server.adminPassword()!;
}, 120_000);

afterAll(async () => {
	await server?.stop({ keepDir: true });
	rmSync(dir, { recursive: true, force: true });
});

describe('training runs over HTTP', () => {
	it('reads a run the previous server left running as failed, with why', async () => {
		const lost = (await listing()).recent_runs.find((r) => r.id === 'lost-run');
		expect(lost).toMatchObject({ state: 'failed', error: INTERRUPTED_ERROR, started_by: 'ana', finished_at: null });
	});

	it('answers 409 when nothing runs, and 422 naming the field for a bad run id', async () => {
		const none = await call('analyst', 'DELETE', '/api/v1/models/train');
		expect([none.status, none.data.error]).toEqual([409, 'no training run is running']);
		const bad = await call('analyst', 'DELETE', '/api/v1/models/train?run_id=yesterday&colour=red');
		expect(bad.status).toBe(422);
		expect(bad.data.errors).toEqual([
			{ field: 'run_id', message: 'must be the run_id that POST /api/v1/models/train answered' },
			{ field: 'colour', message: 'unknown key' }
		]);
		expect(bad.data.error).toBe('2 problems; the first: run_id: must be the run_id that POST /api/v1/models/train answered');
	});

	it('cancels a running training: 200, recorded as cancelled, no version, no process, 409 again; other roles refused', async () => {
		const started = await call('analyst', 'POST', '/api/v1/models/train', { horizon_days: 30, epochs: 200 });
		expect(started.status).toBe(202);
		const runId = started.data.run_id as string;

		// Same roles as starting one: executives and retention may not.
		expect((await call('exec', 'DELETE', '/api/v1/models/train')).status).toBe(403);
		expect((await call('retention', 'DELETE', `/api/v1/models/train?run_id=${runId}`)).status).toBe(403);
		expect((await fetch(`${server.url}/api/v1/models/train`, { method: 'DELETE' })).status).toBe(401);
		// A page still showing an earlier run cancels nothing else.
		const other = await call('analyst', 'DELETE', '/api/v1/models/train?run_id=00000000-0000-4000-8000-000000000000');
		expect(other.status).toBe(409);
		expect(other.data.error).toContain(`the running run is ${runId}`);

		const cancelled = await call('analyst', 'DELETE', `/api/v1/models/train?run_id=${runId}`);
		expect(cancelled.status).toBe(200);
		expect(cancelled.data.job).toMatchObject({ runId, status: 'cancelled', cancelledBy: 'key:analyst', finishedAt: expect.any(String) });

		const after = await listing();
		expect(after.training).toMatchObject({ runId, status: 'cancelled', cancelledBy: 'key:analyst' });
		expect(after.recent_runs[0]).toMatchObject({ id: runId, state: 'cancelled', cancelled_by: 'key:analyst', started_by: 'key:analyst', version: null });
		await expect.poll(() => serverTrainingWorkers(), { timeout: 10_000 }).toEqual([]);
		// The cancelled run's remaining work (if it was still reading snapshots) starts no training and saves nothing.
		for (let i = 0; i < 6; i++) {
			expect(registry()).toEqual([]);
			await new Promise((r) => setTimeout(r, 500));
		}
		expect(serverTrainingWorkers()).toEqual([]);

		const again = await call('analyst', 'DELETE', `/api/v1/models/train?run_id=${runId}`);
		expect(again.status).toBe(409);

		// A new run may start at once.
		const next = await call('analyst', 'POST', '/api/v1/models/train', { horizon_days: 30, epochs: 200 });
		expect(next.status).toBe(202);
		expect((await call('analyst', 'DELETE', '/api/v1/models/train')).status).toBe(200);

		// Who cancelled is in the audit log (read once the server has let go of the file).
		await server.stop({ keepDir: true });
		const dbPath = join(dir, 'cx.duckdb');
		try {
			const audit = await listAudit(await getDb(dbPath), 5);
			expect(audit.filter((a) => a.action === 'model.train-cancel').map((a) => [a.actor, a.subject])).toEqual([
				['key:analyst', next.data.run_id],
				['key:analyst', runId]
			]);
		} finally {
			await shutdownDb(dbPath);
		}
	}, 60_000);

	it('a server stopped (SIGTERM) during training ends it at once: exits within seconds, run failed, no version, no process left', async () => {
		server = await startServer({ dir, env: { CX_MODELS_DIR: modelsDir } });
		const started = await call('analyst', 'POST', '/api/v1/models/train', { horizon_days: 30, epochs: 500 });
		expect(started.status).toBe(202);
		const runId = started.data.run_id as string;
		await expect.poll(() => serverTrainingWorkers().length, { timeout: 20_000 }).toBe(1);
		const [worker] = serverTrainingWorkers();

		// A page opened mid-run shows the run's epoch and its resolved target at once, from the job state.
		await expect.poll(async () => ((await listing()).training as { progress?: { phase: string } | null } | null)?.progress?.phase, { timeout: 20_000 }).toBe('training');
		const resolved = (await listing()).recent_runs[0];
		expect(resolved.id).toBe(runId);
		expect(resolved.churn_definition).not.toBe('auto');
		const { cookie } = await signInOver(server, 'admin', adminPassword);
		const page = (await (await fetch(`${server.url}/models`, { headers: { cookie: cookie! } })).text()).replace(/<!--.*?-->/g, '');
		expect(page).toMatch(/Epoch \d+ of 500/);
		expect(page).toContain(`This run: ${resolved.churn_definition} churn within 30 days.`);
		const exited = new Promise<void>((resolve) => server.proc.once('exit', () => resolve()));
		const stopAt = Date.now();
		server.proc.kill('SIGTERM');
		// Before: the server waited for all 500 epochs, then saved a version.
		await Promise.race([exited, new Promise((r) => setTimeout(r, 8_000))]);
		expect(server.proc.exitCode ?? server.proc.signalCode).not.toBeNull();
		expect(Date.now() - stopAt).toBeLessThan(8_000);
		expect(existsSync(`/proc/${worker}`)).toBe(false);
		expect(registry()).toEqual([]);
		expect(server.output().match(/churn training: run .* ended after .* without saving: the server stopped during training/g)).toHaveLength(1);
		const dbPath = join(dir, 'cx.duckdb');
		try {
			const run = await getTrainRun(await getDb(dbPath), runId);
			expect(run).toMatchObject({ state: 'failed', error: INTERRUPTED_ERROR, version: null, cancelled_by: null, finished_at: expect.any(String) });
		} finally {
			await shutdownDb(dbPath);
		}
	}, 60_000);
});
