// Backtests from the API (what the Models page's Backtest panel calls), over real HTTP against the built
// server on a tiny subscription database: defaults, field-named 422s before any work, one run at a time,
// a real backtest (network fitted in the training child process) recorded with its report, curves and
// scores, the scores as CSV, cancelling with an audit entry, roles, and the restart rule for a run the
// previous server left running.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacktestDetailJson, BacktestListJson, BacktestRunJson } from '../../src/lib/shared/backtest-json';
import { cutoffRange, type CutoffRange } from '../../src/lib/shared/cutoff-range';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { listAudit } from '../../src/lib/server/auth/audit';
import { BACKTEST_INTERRUPTED_ERROR, recordBacktestStart } from '../../src/lib/server/churn/backtest-runs';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { ingestEvents } from '../../src/lib/server/ingest';
import { aSubscriptionWorld } from '../fixtures/subscriptions';
import { startServer, type TestServer } from '../helpers/server';

const ROLES = { analyst: 'analyst', exec: 'executive', retention: 'retention' } as const;
type Who = keyof typeof ROLES;
let server: TestServer;
let dir: string;
const keys = {} as Record<Who, string>;
let lastDay: string;
let firstDay: string;
let range30: CutoffRange;

async function call(who: Who, method: string, path: string, body?: unknown): Promise<{ status: number; data: Record<string, unknown>; text: string; headers: Headers }> {
	const r = await fetch(`${server.url}${path}`, {
		method,
		headers: { authorization: `Bearer ${keys[who]}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
	});
	const text = await r.text();
	let data: Record<string, unknown> = {};
	try {
		data = text ? (JSON.parse(text) as Record<string, unknown>) : {};
	} catch {
		data = {};
	}
	return { status: r.status, data, text, headers: r.headers };
}

const list = async () => (await call('analyst', 'GET', '/api/v1/models/backtests')).data as unknown as BacktestListJson;
const run = async (id: string): Promise<BacktestRunJson | undefined> => (await list()).backtests.find((b) => b.id === id);
const dayBefore = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-backtest-api-'));
	const modelsDir = join(dir, 'models');
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		const events = aSubscriptionWorld().withCustomers(60).from('2024-01-01').forDays(240).withSeed(5).build();
		expect((await ingestEvents(db, events, { source: 'test', now: new Date('2025-01-01T00:00:00Z') })).ok).toBe(true);
		const days = await db.one<{ first: string; last: string }>("SELECT strftime(min(occurred_at), '%Y-%m-%d') AS first, strftime(max(occurred_at), '%Y-%m-%d') AS last FROM events");
		firstDay = days!.first;
		lastDay = days!.last;
		for (const [name, scope] of Object.entries(ROLES)) {
			const k = await createApiKey(db, { name, scope, createdBy: 'test' });
			if (!k.ok) throw new Error(k.error);
			keys[name as Who] = k.value.token;
		}
		// Last night's backtest, still `running` when its server went away.
		await recordBacktestStart(db, { id: 'lost-backtest', by: 'ana', cutoff: '2024-06-01', horizonDays: 30, definition: 'auto', now: new Date('2026-12-05T23:00:00Z') });
	} finally {
		await shutdownDb(dbPath);
	}
	mkdirSync(modelsDir);
	server = await startServer({ dir, env: { CX_MODELS_DIR: modelsDir } });
}, 120_000);

afterAll(async () => {
	await server?.stop({ keepDir: true });
	rmSync(dir, { recursive: true, force: true });
});

describe('backtests over HTTP', () => {
	it('lists the defaults and reads a backtest the previous server left running as failed', async () => {
		const l = await list();
		expect(l.running).toBeNull();
		// No champion: 90 days, auto; the latest cutoff leaves a full horizon of data after it.
		const range90 = cutoffRange({ firstEventMs: Date.parse(l.defaults.first_event_at!), lastEventMs: Date.parse(l.defaults.last_event_at!), nowMs: Date.now(), horizonDays: 90 })!;
		expect(l.defaults).toEqual({
			cutoff: dayBefore(lastDay, 90),
			horizon_days: 90,
			churn_definition: 'auto',
			latest_cutoff: dayBefore(lastDay, 90),
			earliest_cutoff: range90.earliest,
			first_event_day: firstDay,
			last_event_day: lastDay,
			first_event_at: expect.stringMatching(new RegExp(`^${firstDay}T`)),
			last_event_at: expect.stringMatching(new RegExp(`^${lastDay}T`))
		});
		range30 = cutoffRange({ firstEventMs: Date.parse(l.defaults.first_event_at!), lastEventMs: Date.parse(l.defaults.last_event_at!), nowMs: Date.now(), horizonDays: 30 })!;
		expect(range30.latest).toBe(dayBefore(lastDay, 30));
		expect(l.backtests.find((b) => b.id === 'lost-backtest')).toMatchObject({ state: 'failed', error: BACKTEST_INTERRUPTED_ERROR, started_by: 'ana', finished_at: null, summary: null, has_scores: false });
	});

	it('refuses other roles and anonymous callers', async () => {
		expect((await call('exec', 'GET', '/api/v1/models/backtests')).status).toBe(403);
		expect((await call('retention', 'POST', '/api/v1/models/backtest', {})).status).toBe(403);
		expect((await call('retention', 'GET', '/api/v1/models/backtests/lost-backtest')).status).toBe(403);
		expect((await fetch(`${server.url}/api/v1/models/backtests/lost-backtest/scores.csv`)).status).toBe(401);
	});

	it('answers 400 for malformed JSON and 422 naming each field, before any work', async () => {
		const malformed = await call('analyst', 'POST', '/api/v1/models/backtest', '{"cutoff":');
		expect(malformed.status).toBe(400);
		const bad = await call('analyst', 'POST', '/api/v1/models/backtest', { cutoff: '2024-02-30', horizon_days: 0, churn_definition: 'vibes', colour: 'red' });
		expect(bad.status).toBe(422);
		expect((bad.data.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['churn_definition', 'colour', 'cutoff', 'horizon_days']);
		expect(bad.data.errors).toContainEqual({ field: 'cutoff', message: 'is not a valid date' });
		// Summarised as on every other API (hooks.server.ts), naming the first problem.
		const first = (bad.data.errors as { field: string; message: string }[])[0];
		expect(bad.data.error).toBe(`4 problems; the first: ${first.field}: ${first.message}`);
		expect(bad.data.errors).toContainEqual({ field: 'horizon_days', message: 'must be a whole number of days from 1 to 3650' });
		expect(bad.data.errors).toContainEqual({ field: 'churn_definition', message: 'must be one of auto, inactivity, cancellation' });
		const notADate = await call('analyst', 'POST', '/api/v1/models/backtest', { cutoff: 'last week' });
		expect(notADate.data.errors).toEqual([{ field: 'cutoff', message: 'must be a date (YYYY-MM-DD)' }]);
		expect(notADate.data.error).toBe('cutoff: must be a date (YYYY-MM-DD)');
		// A label window past the data: churn there is not observed.
		const late = await call('analyst', 'POST', '/api/v1/models/backtest', { cutoff: dayBefore(lastDay, 10), horizon_days: 30 });
		expect(late.status).toBe(422);
		expect(late.data.errors).toEqual([{ field: 'cutoff', message: expect.stringContaining(`The latest cutoff that works for a 30-day horizon is ${dayBefore(lastDay, 30)}`) }]);
		// The fit at T − H would have no training snapshot with 28 days of history before it.
		const early = await call('analyst', 'POST', '/api/v1/models/backtest', { cutoff: dayBefore(range30.earliest, 1), horizon_days: 30 });
		expect(early.status).toBe(422);
		expect(early.data.errors).toEqual([{ field: 'cutoff', message: expect.stringContaining(`is too early for a 30-day horizon`) }]);
		expect((early.data.errors as { message: string }[])[0].message).toMatch(new RegExp(`the cutoffs that work are ${range30.earliest} to ${range30.latest}$`));
		// No cutoff works at all: the data is shorter than the horizon needs, so the horizon is what to change.
		const long = await call('analyst', 'POST', '/api/v1/models/backtest', { horizon_days: 200 });
		expect(long.status).toBe(422);
		expect(long.data.errors).toEqual([{ field: 'horizon_days', message: expect.stringMatching(/^the data runs from .* too short for a 200-day horizon: .*; the longest horizon this data allows is \d+ days$/) }]);
		expect((await list()).backtests.map((b) => b.id)).toEqual(['lost-backtest']);
	});

	it('runs a backtest: 202, one at a time, recorded with its figures, report, curves and scores', async () => {
		const cutoff = range30.latest;
		const started = await call('analyst', 'POST', '/api/v1/models/backtest', { cutoff, horizon_days: 30, epochs: 2 });
		expect(started.status).toBe(202);
		const id = started.data.run_id as string;
		expect(started.data.job).toMatchObject({ run_id: id, started_by: 'key:analyst', cutoff, horizon_days: 30, churn_definition: 'auto' });
		const second = await call('analyst', 'POST', '/api/v1/models/backtest', {});
		expect(second.status).toBe(409);
		expect(second.data.error).toContain(`a backtest is already running (run ${id}`);

		await expect.poll(async () => (await run(id))?.state, { timeout: 120_000, interval: 500 }).toBe('succeeded');
		const b = (await run(id))!;
		// auto resolved against the data: this world has cancellations.
		expect(b).toMatchObject({ cutoff, horizon_days: 30, churn_definition: 'cancellation', error: null, has_scores: true });
		expect(b.population).toBeGreaterThan(0);
		for (const m of [b.summary!.model, b.summary!.recency, b.summary!.rfm_logistic]) {
			expect(m.auc).toBeGreaterThanOrEqual(0);
			expect(m.auc).toBeLessThanOrEqual(1);
			expect(m.brier).toBeGreaterThanOrEqual(0);
		}
		expect((await list()).running).toBeNull();

		const detail = (await call('analyst', 'GET', `/api/v1/models/backtests/${id}`)).data as unknown as BacktestDetailJson;
		// The report is the one `cx backtest --report-out` writes.
		expect(detail.report).toMatchObject({ cutoff, horizon_days: 30, churn_definition: 'cancellation', n: b.population, auc: b.summary!.model.auc });
		expect(Object.keys(detail.report!)).toEqual(expect.arrayContaining(['train_as_of', 'label_window', 'baselines', 'beats_baselines', 'model', 'training', 'warnings']));
		// The list carries the report's warnings, so the page says them with any run's goal verdict.
		expect(b.warnings).toEqual(detail.report!.warnings);
		expect(b.warnings).toEqual(b.churned! < 30 || b.population! - b.churned! < 30 ? expect.arrayContaining([expect.stringMatching(/^only \d+ /)]) : []);
		// The goal of DESIGN §8 in the report itself, so a download says what the page says.
		const goal = detail.report!.goal as { min_margin: number; auc_margin: number; pr_auc_margin: number; met: boolean };
		const best = (k: 'auc' | 'pr_auc') => Math.max(b.summary!.recency[k], b.summary!.rfm_logistic[k]);
		expect(goal.min_margin).toBe(0.03);
		expect(goal.auc_margin).toBeCloseTo(b.summary!.model.auc - best('auc'), 6);
		expect(goal.pr_auc_margin).toBeCloseTo(b.summary!.model.pr_auc - best('pr_auc'), 6);
		expect(goal.met).toBe(goal.auc_margin >= 0.03 && goal.pr_auc_margin >= 0.03);
		for (const c of [detail.curves!.model, detail.curves!.recency, detail.curves!.rfm_logistic]) {
			expect(c.roc.length).toBeGreaterThan(1);
			expect(c.lift.length).toBeGreaterThan(0);
		}

		const csv = await call('analyst', 'GET', `/api/v1/models/backtests/${id}/scores.csv`);
		expect(csv.status).toBe(200);
		expect(csv.headers.get('content-type')).toContain('text/csv');
		expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="backtest-${cutoff}-30d-${id.slice(0, 8)}.csv"`);
		const lines = csv.text.trim().split('\n');
		expect(lines[0]).toBe('customer_id,score');
		expect(lines.length - 1).toBe(b.population);

		expect((await call('analyst', 'GET', '/api/v1/models/backtests/nope')).status).toBe(404);
		const none = await call('analyst', 'GET', '/api/v1/models/backtests/lost-backtest/scores.csv');
		expect([none.status, none.data.error]).toEqual([404, `backtest lost-backtest has no scores (failed: ${BACKTEST_INTERRUPTED_ERROR})`]);
	}, 150_000);

	it('cancels a running backtest: 200, recorded as cancelled with an audit entry, 409 again', async () => {
		const none = await call('analyst', 'DELETE', '/api/v1/models/backtest');
		expect([none.status, none.data.error]).toEqual([409, 'no backtest is running']);
		const started = await call('analyst', 'POST', '/api/v1/models/backtest', { horizon_days: 30, epochs: 300 });
		expect(started.status).toBe(202);
		const id = started.data.run_id as string;
		expect((await call('exec', 'DELETE', '/api/v1/models/backtest')).status).toBe(403);
		const other = await call('analyst', 'DELETE', '/api/v1/models/backtest?run_id=00000000-0000-4000-8000-000000000000');
		expect(other.status).toBe(409);
		expect(other.data.error).toContain(`the running backtest is ${id}`);

		const cancelled = await call('analyst', 'DELETE', `/api/v1/models/backtest?run_id=${id}`);
		expect(cancelled.status).toBe(200);
		expect(cancelled.data.job).toMatchObject({ run_id: id, progress: { phase: 'cancelled', message: 'cancelled by key:analyst' } });
		expect(await run(id)).toMatchObject({ state: 'cancelled', cancelled_by: 'key:analyst', has_scores: false, summary: null });
		expect((await call('analyst', 'DELETE', `/api/v1/models/backtest?run_id=${id}`)).status).toBe(409);
		// The next one may start as soon as the cancelled run's process has ended.
		await expect.poll(async () => (await list()).running, { timeout: 10_000 }).toBeNull();
		// Still cancelled: the run's own ending came second and changed nothing.
		expect((await run(id))?.state).toBe('cancelled');
	}, 60_000);
});

describe('the audit log', () => {
	it('names who cancelled which backtest', async () => {
		await server.stop({ keepDir: true });
		const db = await getDb(join(dir, 'cx.duckdb'));
		try {
			const entries = (await listAudit(db, 50)).filter((e) => e.action === 'model.backtest-cancel');
			expect(entries).toHaveLength(1);
			expect(entries[0]).toMatchObject({ actor: 'key:analyst', detail: expect.objectContaining({ horizon_days: 30 }) });
		} finally {
			await shutdownDb(join(dir, 'cx.duckdb'));
		}
	});
});
