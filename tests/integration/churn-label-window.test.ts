// `cx train` and `cx backtest` refuse, before any work, a cutoff whose label window runs past the last
// event: labels there count everyone without later events as churned. The message names the last event
// and the latest cutoff that works for the horizon.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../helpers/cli';
import { asOfAfterDay } from '../../src/lib/server/churn/definitions';
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
		// Before any work: no snapshot read, no epoch trained, no version saved (only the run's id, said first).
		expect(r.out).toEqual([expect.stringMatching(/^training run \S+ \(Ctrl-C cancels it; nothing is saved then\)$/)]);
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
