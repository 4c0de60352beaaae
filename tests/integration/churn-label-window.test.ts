// `cx train` and `cx backtest` refuse, before any work, a cutoff whose label window runs past the last
// event: labels there count everyone without later events as churned. The message names the last event
// and the latest cutoff that works for the horizon.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../helpers/cli';
import { asOfAfterDay } from '../../src/lib/server/churn/definitions';
import { listBacktestRuns } from '../../src/lib/server/churn/backtest-runs';
import { checkLabelWindow } from '../../src/lib/server/churn/label-window';
import { config, overrideConfig, type Config } from '../../src/lib/server/config';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { ingestEvents } from '../../src/lib/server/ingest';
import { anEvent } from '../fixtures/events';

let dir: string;
let dbPath: string;
let models: string;
let saved: Config;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-label-window-'));
	dbPath = join(dir, 'cx.duckdb');
	models = join(dir, 'models');
	saved = { ...config() };
	const db = await getDb(dbPath);
	// Six months of weekly purchases by 20 customers; the data ends on 2026-12-06 at 10:00.
	const events = [];
	for (let c = 0; c < 20; c++) {
		for (let d = c % 7; d < 188; d += 7)
			events.push(
				anEvent()
					.withCustomer(`c${c}`)
					.withType('purchase')
					.withValue(10)
					.at(new Date(Date.UTC(2026, 5, 1 + d, 10)))
					.build()
			);
	}
	events.push(anEvent().withCustomer('c0').withType('visit').at('2026-12-06T10:00:00Z').build());
	const r = await ingestEvents(db, events, { source: 'test', now: new Date('2026-12-07T00:00:00Z') });
	expect(r.ok).toBe(true);
	await shutdownDb(dbPath);
});

afterEach(() => void overrideConfig(saved));

afterAll(async () => {
	await shutdownDb(dbPath);
	rmSync(dir, { recursive: true, force: true });
});

async function cx(args: string[]): Promise<CliRun> {
	overrideConfig({ modelsDir: models });
	return runCli([...args, '--db', dbPath]);
}

describe('a label window past the end of the data', () => {
	it('cx train refuses it at once, saving nothing', async () => {
		const r = await cx(['train', '--cutoff', '2026-11-30', '--horizon-days', '30']);
		expect(r.code).toBe(1);
		expect(r.err).toEqual([
			'cx train: the validation labels need events up to 2026-12-30 (cutoff 2026-11-30 + 30 days) but the last event is at 2026-12-06 10:00 UTC: churn after it is not observed. The latest cutoff that works for a 30-day horizon is 2026-11-06'
		]);
		// Before any work: no run recorded, no snapshot read, no epoch trained, no version saved.
		expect(r.out).toEqual([]);
		expect(existsSync(models)).toBe(false);
	});

	it('cx backtest refuses it before training, writing no output', async () => {
		const scores = join(dir, 'out', 'scores.csv');
		const report = join(dir, 'out', 'report.json');
		const r = await cx([
			'backtest',
			'--cutoff',
			'2026-11-20',
			'--horizon-days',
			'30',
			'--scores-out',
			scores,
			'--report-out',
			report
		]);
		expect(r.code).toBe(1);
		expect(r.err).toEqual([
			'cx backtest: the backtest labels need events up to 2026-12-20 (cutoff 2026-11-20 + 30 days) but the last event is at 2026-12-06 10:00 UTC: churn after it is not observed. The latest cutoff that works for a 30-day horizon is 2026-11-06'
		]);
		expect(r.out).toEqual([]);
		expect([existsSync(scores), existsSync(report)]).toEqual([false, false]);
	});

	it('the latest cutoff named is the last one accepted', async () => {
		const db = await getDb(dbPath);
		try {
			const at = (day: string, horizonDays: number) =>
				checkLabelWindow(db, {
					asOf: asOfAfterDay(new Date(`${day}T00:00:00Z`)),
					horizonDays,
					labels: 'validation'
				});
			expect((await at('2026-11-06', 30)).ok).toBe(true);
			expect((await at('2026-11-07', 30)).ok).toBe(false);
			expect((await at('2026-09-06', 91)).ok).toBe(true);
			const late = await at('2026-09-07', 91);
			expect(!late.ok && late.error).toMatch(
				/The latest cutoff that works for a 91-day horizon is 2026-09-06$/
			);
		} finally {
			await shutdownDb(dbPath);
		}
	});
});

describe('a cutoff or horizon the data cannot support (the API\'s check and words)', () => {
	const backtest = (cutoff: string, horizon: string) =>
		cx(['backtest', '--cutoff', cutoff, '--horizon-days', horizon, '--scores-out', join(dir, 'out2', 's.csv'), '--report-out', join(dir, 'out2', 'r.json')]);
	async function backtestRuns(): Promise<number> {
		const db = await getDb(dbPath);
		try {
			return (await listBacktestRuns(db, 1000)).length;
		} finally {
			await shutdownDb(dbPath);
		}
	}

	it('cx backtest names the longest horizon the data allows, and the cutoffs that work, recording no run', async () => {
		const before = await backtestRuns();
		const long = await backtest('2026-11-29', '400');
		expect(long.code).toBe(1);
		expect(long.err).toEqual([
			expect.stringMatching(
				/^cx backtest: the data runs from 2026-06-01 to 2026-12-06, too short for a 400-day horizon: the model is fitted at the cutoff minus the horizon on at least 28 days of history, and churn is judged on the horizon after the cutoff; the longest horizon this data allows is \d+ days$/
			)
		]);
		const early = await backtest('2026-06-15', '7');
		expect(early.code).toBe(1);
		expect(early.err).toEqual([
			'cx backtest: 2026-06-15 is too early for a 7-day horizon: the model is fitted at the cutoff minus 7 days and needs 28 days of history before its first training snapshot (events start 2026-06-01); the cutoffs that work are 2026-07-13 to 2026-11-29'
		]);
		expect([...long.out, ...early.out]).toEqual([]);
		expect([existsSync(join(dir, 'out2', 's.csv')), existsSync(join(dir, 'out2', 'r.json'))]).toEqual([false, false]);
		expect(await backtestRuns()).toBe(before);
	});

	it('cx backtest checks its flags with the API\'s request validation (exit 2, the flag named)', async () => {
		const r = await backtest('2026-11-01', '4000');
		expect([r.code, r.err[0]]).toEqual([2, 'cx backtest: --horizon-days 4000: must be a whole number of days from 1 to 3650']);
		const def = await cx(['backtest', '--cutoff', '2026-11-01', '--horizon-days', '7', '--churn-definition', 'vibes', '--scores-out', 's.csv', '--report-out', 'r.json']);
		expect([def.code, def.err[0]]).toEqual([2, 'cx backtest: --churn-definition vibes: must be one of auto, inactivity, cancellation']);
	});
});
