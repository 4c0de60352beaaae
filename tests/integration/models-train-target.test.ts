// "Train challenger" (POST /api/v1/models/train with an empty body) trains what the champion predicts:
// its churn definition and horizon, so the two are measured on the same labels. And a run that fails at
// once still says so on the live stream and in the job state the Models page loads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrainRequest } from '../../src/lib/server/churn/models-overview-requests';
import {
	challengerTarget,
	currentTrainJob,
	startTrainingJob,
	whenTrainJobSettles
} from '../../src/lib/server/churn/models-overview-train';
import { promoteModel } from '../../src/lib/server/churn/registry';
import { trainChallenger } from '../../src/lib/server/churn/train-job';
import { listTrainRuns } from '../../src/lib/server/churn/train-runs';
import { ingestEvents } from '../../src/lib/server/ingest';
import { liveHub } from '../../src/lib/server/live/hub';
import type { TrainProgressPayload } from '../../src/lib/shared/live-events';
import { anEvent } from '../fixtures/events';
import { aModelVersion, writeRegistry } from '../fixtures/model-registry';
import { tempDb } from '../helpers/temp-db';

let dir: string;
let models: string;

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'cx-train-target-'));
	models = join(dir, 'models');
	// The champion predicts inactivity within 30 days; a challenger trained later does not say.
	writeRegistry(models, [aModelVersion('v0001').withTarget('inactivity', 30).build()]);
	expect(promoteModel(models, 'v0001', { by: 'test' }).ok).toBe(true);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The train-progress payloads published while `work` runs. */
async function progressDuring(work: () => Promise<unknown>): Promise<TrainProgressPayload[]> {
	const frames: string[] = [];
	const unsubscribe = liveHub().subscribe((f) => {
		if (f.event === 'train-progress') frames.push(new TextDecoder().decode(f.bytes));
	});
	try {
		await work();
	} finally {
		unsubscribe();
	}
	return frames.map(
		(f) =>
			JSON.parse(
				f
					.split('\n')
					.find((l) => l.startsWith('data: '))!
					.slice(6)
			) as TrainProgressPayload
	);
}

const emptyBody = () =>
	parseTrainRequest(new Request('http://cx.test/api/v1/models/train', { method: 'POST', body: '{}' }));

describe('the challenger target', () => {
	it("an empty request leaves definition and horizon to the champion's", async () => {
		const body = await emptyBody();
		expect(body).toEqual({
			ok: true,
			value: { cutoff: undefined, horizonDays: undefined, epochs: undefined, definition: undefined }
		});
		expect(challengerTarget(models, {})).toEqual({
			horizonDays: 30,
			definition: 'inactivity',
			champion: 'v0001'
		});
		// What the request names wins.
		expect(challengerTarget(models, { definition: 'cancellation', horizonDays: 60 })).toEqual({
			horizonDays: 60,
			definition: 'cancellation',
			champion: 'v0001'
		});
		// Without a champion: auto and 90 days, as before.
		expect(challengerTarget(join(dir, 'no-registry'), {})).toEqual({
			horizonDays: 90,
			definition: 'auto',
			champion: null
		});
	});

	it("the server's job trains the champion's definition on data where auto would pick cancellation", async () => {
		const t = await tempDb();
		try {
			// A hundred days of daily purchases with one cancellation: auto means cancellation here. Nobody goes
			// quiet, so the inactivity fit stops once it has read its snapshots (no churned customers), after
			// saying what it reads.
			const events = [];
			for (let c = 0; c < 5; c++)
				for (let d = 0; d < 100; d++)
					events.push(
						anEvent()
							.withCustomer(`c${c}`)
							.withType('purchase')
							.withValue(5)
							.at(new Date(Date.UTC(2026, 7, 1 + d, 10)))
							.build()
					);
			events.push(anEvent().withCustomer('c0').withType('cancellation').at(new Date(Date.UTC(2026, 10, 5))).build());
			expect(
				(await ingestEvents(t.db, events, { source: 'test', now: new Date('2026-12-01T00:00:00Z') })).ok
			).toBe(true);
			const body = await emptyBody();
			if (!body.ok) throw new Error('unparsed');
			const payloads = await progressDuring(async () => {
				const r = await startTrainingJob(t.db, {
					...body.value,
					by: 'tester',
					modelsDir: models,
					root: process.cwd()
				});
				if (!r.ok) throw new Error(r.kind === 'running' ? r.error : JSON.stringify(r.errors));
				expect([r.value.definition, r.value.horizonDays]).toEqual(['inactivity', 30]);
				await whenTrainJobSettles();
			});
			expect(payloads.find((p) => p.phase === 'features')?.message).toBe(
				'reading snapshots (inactivity, horizon 30 days)'
			);
			const failure = /^the training data has no churned customers /;
			expect(payloads.at(-1)).toMatchObject({ phase: 'failed', message: expect.stringMatching(failure) });
			// The job keeps the failure, with when, for the page to show on load.
			expect(currentTrainJob()).toMatchObject({ status: 'failed', error: expect.stringMatching(failure), finishedAt: expect.any(String) });
		} finally {
			await t.cleanup();
		}
	});
});

describe('a run that fails at once', () => {
	it('publishes failed with its message on an empty database', async () => {
		const t = await tempDb();
		try {
			const payloads = await progressDuring(async () => {
				const r = await trainChallenger(t.db, {
					horizonDays: 30,
					definition: 'auto',
					by: 'tester',
					modelsDir: models,
					publishRunId: 'run-empty'
				});
				expect(r).toEqual({ ok: false, error: 'the database has no events: import or stream some first' });
			});
			expect(payloads).toEqual([
				{
					runId: 'run-empty',
					phase: 'failed',
					epoch: null,
					epochs: null,
					loss: null,
					valLoss: null,
					message: 'the database has no events: import or stream some first'
				}
			]);
		} finally {
			await t.cleanup();
		}
	});

	it("the server's job refuses an empty database before it records a run, as the API's 422", async () => {
		const t = await tempDb();
		try {
			const before = currentTrainJob();
			const payloads = await progressDuring(async () => {
				const r = await startTrainingJob(t.db, { by: 'tester', modelsDir: models, root: process.cwd() });
				expect(r).toEqual({ ok: false, kind: 'invalid', errors: [{ field: 'cutoff', message: 'the database has no events: import or stream some first' }] });
			});
			expect(payloads).toEqual([]);
			expect(currentTrainJob()).toEqual(before);
			expect(await listTrainRuns(t.db, 10)).toEqual([]);
		} finally {
			await t.cleanup();
		}
	});
});
