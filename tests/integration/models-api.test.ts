// The model API against the real server with a temporary registry (CX_MODELS_DIR): listing with
// metrics and baselines, promote/rollback recorded under the caller, role rules and bad input.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { readManifest } from '../../src/lib/server/churn/registry';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { aModelVersion, writeRegistry } from '../fixtures/model-registry';
import { startServer, type TestServer } from '../helpers/server';

const ROLES = { analyst: 'analyst', admin: 'admin', exec: 'executive', retention: 'retention' } as const;
type Who = keyof typeof ROLES;
let server: TestServer;
let dir: string;
let modelsDir: string;
const keys = {} as Record<Who, string>;

async function call(who: Who, method: string, path: string, body?: unknown): Promise<{ status: number; data: Record<string, unknown> }> {
	const r = await fetch(`${server.url}${path}`, {
		method,
		headers: { authorization: `Bearer ${keys[who]}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
	});
	const text = await r.text();
	return { status: r.status, data: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-models-'));
	modelsDir = join(dir, 'models');
	writeRegistry(modelsDir, [
		aModelVersion('v0001').withAuc(0.8).build(),
		aModelVersion('v0002').withAuc(0.83).build(),
		aModelVersion('v0003').withAuc(0.6).withBaselineAuc(0.7, 0.72).build()
	]);
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		for (const [name, scope] of Object.entries(ROLES)) {
			const k = await createApiKey(db, { name, scope, createdBy: 'test' });
			if (!k.ok) throw new Error(k.error);
			keys[name as Who] = k.value.token;
		}
	} finally {
		await shutdownDb(dbPath);
	}
	server = await startServer({ dir, env: { CX_MODELS_DIR: modelsDir } });
}, 120_000);

afterAll(async () => {
	await server?.stop({ keepDir: true });
	rmSync(dir, { recursive: true, force: true });
});

describe('GET /api/v1/models', () => {
	it('lists versions newest first with metrics next to the baselines', async () => {
		const r = await call('analyst', 'GET', '/api/v1/models');
		expect(r.status).toBe(200);
		const versions = r.data.versions as { version: string; champion: boolean; metrics: { auc: number }; baseline_metrics: { recency: { auc: number } }; beats_baselines: boolean; data_size: { validation_rows: number } | null; training_seconds: number }[];
		expect(versions.map((v) => v.version)).toEqual(['v0003', 'v0002', 'v0001']);
		expect(versions[1].metrics.auc).toBe(0.83);
		expect(versions[0].baseline_metrics.recency.auc).toBe(0.7);
		expect(versions.map((v) => v.beats_baselines)).toEqual([false, true, true]);
		expect(versions[0].data_size?.validation_rows).toBe(1200);
		expect(versions[0].training_seconds).toBe(42.5);
		expect(r.data.champion).toBeNull();
		expect((r.data.history as unknown[]).length).toBe(3);
	});

	it('is for analysts and admins only', async () => {
		expect((await call('exec', 'GET', '/api/v1/models')).status).toBe(403);
		expect((await call('retention', 'GET', '/api/v1/models')).status).toBe(403);
		expect((await call('admin', 'GET', '/api/v1/models')).status).toBe(200);
		expect((await fetch(`${server.url}/api/v1/models`)).status).toBe(401);
	});
});

describe('promote and rollback', () => {
	it('refuses executive and retention roles and changes nothing', async () => {
		expect((await call('exec', 'POST', '/api/v1/models/v0001/promote')).status).toBe(403);
		expect((await call('retention', 'POST', '/api/v1/models/v0001/promote')).status).toBe(403);
		expect((await call('exec', 'POST', '/api/v1/models/rollback')).status).toBe(403);
		expect((await call('retention', 'POST', '/api/v1/models/rollback')).status).toBe(403);
		expect(readManifest(modelsDir).champion).toBeNull();
	});

	it('answers bad input with clear errors', async () => {
		const unknown = await call('analyst', 'POST', '/api/v1/models/v9999/promote');
		expect(unknown.status).toBe(404);
		expect(unknown.data.error).toMatch(/v9999/);
		const bad = await call('analyst', 'POST', '/api/v1/models/v0001/promote', { force: 'yes' });
		expect(bad.status).toBe(422);
		expect(bad.data.errors).toEqual([{ field: 'force', message: 'must be true or false' }]);
		expect(bad.data.error).toBe(`force: ${(bad.data.errors as { message: string }[])[0].message}`);
		// Not JSON at all is a bad request, as on every other endpoint; wrong fields are 422.
		const garbled = await call('analyst', 'POST', '/api/v1/models/v0001/promote', '{not json');
		expect([garbled.status, garbled.data.errors]).toEqual([400, [{ field: 'body', message: 'not valid JSON' }]]);
		const train = await call('analyst', 'POST', '/api/v1/models/train', { epochs: 0, color: 'red' });
		expect(train.status).toBe(422);
		const trainErrors = train.data.errors as { field: string; message: string }[];
		expect(train.data.error).toBe(`${trainErrors.length} problems; the first: ${trainErrors[0].field}: ${trainErrors[0].message}`);
		// Plain words, as the backtest API has them (not the schema library's "Too small: expected number to be >=1").
		expect(train.data.errors).toEqual([
			{ field: 'epochs', message: 'must be a whole number from 1 to 500' },
			{ field: 'color', message: 'unknown key "color"; this request takes cutoff, horizon_days, epochs, definition' }
		]);
		const words = await call('analyst', 'POST', '/api/v1/models/train', { epochs: 501, horizon_days: 1.5, definition: 'vibes', cutoff: '2026-02-30' });
		expect(words.status).toBe(422);
		expect(words.data.errors).toEqual([
			{ field: 'cutoff', message: 'is not a valid date' },
			{ field: 'horizon_days', message: 'must be a whole number of days from 1 to 3650' },
			{ field: 'epochs', message: 'must be a whole number from 1 to 500' },
			{ field: 'definition', message: 'must be one of auto, inactivity, cancellation' }
		]);
		const extra = await call('analyst', 'POST', '/api/v1/models/v0001/promote', { force: true, reason: 'x' });
		expect([extra.status, extra.data.errors]).toEqual([422, [{ field: 'reason', message: 'unknown key "reason"; this request takes force' }]]);
		// What the data cannot support is refused before a run is recorded (this database has no events).
		const empty = await call('analyst', 'POST', '/api/v1/models/train', {});
		expect([empty.status, empty.data.errors]).toEqual([422, [{ field: 'cutoff', message: 'the database has no events: import or stream some first' }]]);
		expect((await call('analyst', 'GET', '/api/v1/models')).data.recent_runs).toEqual([]);
		const weak = await call('analyst', 'POST', '/api/v1/models/v0003/promote');
		expect(weak.status).toBe(409);
		expect(weak.data.error).toMatch(/baselines/);
		expect(readManifest(modelsDir).champion).toBeNull();
	});

	it('promotes and rolls back, recording who did it', async () => {
		const first = await call('analyst', 'POST', '/api/v1/models/v0001/promote');
		expect(first.status).toBe(200);
		expect(first.data.champion).toBe('v0001');
		const second = await call('admin', 'POST', '/api/v1/models/v0002/promote');
		expect(second.status).toBe(200);
		const back = await call('analyst', 'POST', '/api/v1/models/rollback');
		expect(back.status).toBe(200);
		expect(back.data.champion).toBe('v0001');
		const m = readManifest(modelsDir);
		expect(m.champion).toBe('v0001');
		expect(m.history.slice(-3).map((e) => [e.action, e.version, e.by])).toEqual([
			['promote', 'v0001', 'key:analyst'],
			['promote', 'v0002', 'key:admin'],
			['rollback', 'v0001', 'key:analyst']
		]);
		const listed = await call('analyst', 'GET', '/api/v1/models');
		const versions = listed.data.versions as { version: string; champion: boolean }[];
		expect(versions.filter((v) => v.champion).map((v) => v.version)).toEqual(['v0001']);
		const again = await call('analyst', 'POST', '/api/v1/models/rollback');
		expect(again.status).toBe(409);
		expect(again.data.error).toMatch(/nothing to roll back/);
	});

	it('reports why drift cannot be computed on an empty database', async () => {
		const r = await call('analyst', 'GET', '/api/v1/models/drift');
		expect(r.status).toBe(200);
		expect(r.data.drift).toBeNull();
		expect(r.data.reason).toMatch(/no events/);
		expect((await call('exec', 'GET', '/api/v1/models/drift')).status).toBe(403);
	});
});
