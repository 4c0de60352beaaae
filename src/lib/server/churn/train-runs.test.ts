// The training-run history on a real DuckDB file: a run's start and its one end (succeeded, failed,
// cancelled with an audit entry), and the restart rule for runs a stopped process left `running`.
import { afterEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { listAudit } from '../auth/audit';
import { getDb, shutdownDb } from '../db';
import {
	failInterruptedTrainRuns,
	getTrainRun,
	INTERRUPTED_ERROR,
	listTrainRuns,
	recordTrainRunCancelled,
	recordTrainRunEnd,
	recordTrainRunStart,
	recordTrainRunTarget
} from './train-runs';

let t: TempDb | undefined;
afterEach(async () => {
	await t?.cleanup();
	t = undefined;
});

const at = (minute: number) => new Date(Date.UTC(2026, 11, 6, 21, minute));

async function start(id: string, minute: number, by = 'ana') {
	await recordTrainRunStart(t!.db, { id, by, definition: 'auto', horizonDays: 30, now: at(minute) });
}

describe('train runs', () => {
	it('records a run when it starts and its version when it succeeds', async () => {
		t = await tempDb();
		await start('r1', 0);
		expect(await getTrainRun(t.db, 'r1')).toEqual({
			id: 'r1',
			started_at: '2026-12-06T21:00:00.000Z',
			finished_at: null,
			state: 'running',
			started_by: 'ana',
			churn_definition: 'auto',
			horizon_days: 30,
			validation_as_of: null,
			version: null,
			error: null,
			cancelled_by: null
		});
		await recordTrainRunTarget(t.db, 'r1', { definition: 'inactivity', validationAsOf: new Date('2026-11-06T00:00:00Z') });
		expect(await recordTrainRunEnd(t.db, 'r1', { state: 'succeeded', version: 'v0003' }, at(2))).toBe(true);
		expect(await getTrainRun(t.db, 'r1')).toMatchObject({
			state: 'succeeded',
			finished_at: '2026-12-06T21:02:00.000Z',
			churn_definition: 'inactivity',
			validation_as_of: '2026-11-06T00:00:00.000Z',
			version: 'v0003',
			error: null
		});
	});

	it('records why a run failed, and ends a run only once', async () => {
		t = await tempDb();
		await start('r1', 0);
		expect(await recordTrainRunEnd(t.db, 'r1', { state: 'failed', error: 'the database has no events' }, at(1))).toBe(true);
		expect(await recordTrainRunEnd(t.db, 'r1', { state: 'succeeded', version: 'v0009' }, at(3))).toBe(false);
		expect(await getTrainRun(t.db, 'r1')).toMatchObject({ state: 'failed', error: 'the database has no events', version: null, finished_at: '2026-12-06T21:01:00.000Z' });
	});

	it('records who cancelled a running run, in the audit log too; an ended run is not cancelled', async () => {
		t = await tempDb();
		await start('r1', 0, 'ana');
		const run = await recordTrainRunCancelled(t.db, 'r1', 'bob', at(4));
		expect(run).toMatchObject({ id: 'r1', state: 'cancelled', cancelled_by: 'bob', started_by: 'ana', finished_at: '2026-12-06T21:04:00.000Z' });
		// The run's own end arriving after the cancel changes nothing.
		expect(await recordTrainRunEnd(t.db, 'r1', { state: 'succeeded', version: 'v0002' })).toBe(false);
		expect(await getTrainRun(t.db, 'r1')).toMatchObject({ state: 'cancelled', version: null });
		const audit = await listAudit(t.db);
		expect(audit.map((a) => [a.actor, a.action, a.subject, a.detail])).toEqual([['bob', 'model.train-cancel', 'r1', { started_by: 'ana', definition: 'auto', horizon_days: 30 }]]);

		await start('r2', 5);
		await recordTrainRunEnd(t.db, 'r2', { state: 'succeeded', version: 'v0002' });
		expect(await recordTrainRunCancelled(t.db, 'r2', 'bob')).toBeNull();
		expect(await recordTrainRunCancelled(t.db, 'nope', 'bob')).toBeNull();
		expect((await listAudit(t.db)).length).toBe(1);
	});

	it('lists the latest runs newest first', async () => {
		t = await tempDb();
		for (let i = 0; i < 12; i++) await start(`r${i}`, i);
		const runs = await listTrainRuns(t.db);
		expect(runs.map((r) => r.id)).toEqual(['r11', 'r10', 'r9', 'r8', 'r7', 'r6', 'r5', 'r4', 'r3', 'r2']);
		expect((await listTrainRuns(t.db, 1)).map((r) => r.id)).toEqual(['r11']);
	});

	it('fails the runs a stopped process left running, after the file is opened again, and no others', async () => {
		t = await tempDb();
		await start('done', 0);
		await recordTrainRunEnd(t.db, 'done', { state: 'succeeded', version: 'v0001' });
		await start('lost', 1);
		// The process goes away: the row stays `running` in the file.
		await shutdownDb(t.path);
		t.db = await getDb(t.path);
		expect((await getTrainRun(t.db, 'lost'))?.state).toBe('running');
		expect(await failInterruptedTrainRuns(t.db)).toBe(1);
		// When it stopped is not known: no end time, so no duration that would count the time until the restart.
		expect(await getTrainRun(t.db, 'lost')).toMatchObject({ state: 'failed', error: INTERRUPTED_ERROR, finished_at: null });
		expect(await getTrainRun(t.db, 'done')).toMatchObject({ state: 'succeeded', version: 'v0001', error: null });
		expect(await failInterruptedTrainRuns(t.db)).toBe(0);
	});
});
