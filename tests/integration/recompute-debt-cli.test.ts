// `cx recompute-debt`: the debt follows the settings saved since, per segment when asked, what it did is no
// longer owed to the server, and a mistyped segment is refused before any work.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TOLERANCE } from '../../src/lib/server/alerts/tolerance-defaults';
import { saveToleranceSettings } from '../../src/lib/server/alerts/tolerance-settings';
import { ingestEvents } from '../../src/lib/server/ingest';
import { anEvent } from '../fixtures/events';
import { insertCustomers } from '../fixtures/alerts-db';
import { aCustomer } from '../fixtures/alerts';
import { runCli } from '../helpers/cli';
import { withDbAt } from '../helpers/temp-db';

vi.setConfig({ testTimeout: 60_000 });

let dir: string;
let dbPath: string;
const debts = () =>
	withDbAt(dbPath, (db) => db.all<{ customer_id: string; debt: number }>('SELECT customer_id, debt FROM customer_debt ORDER BY customer_id'));
/** The recomputes the saves left owed to the server (debt_recompute_pending). */
const owed = () => withDbAt(dbPath, async (db) => (await db.all<{ segment: string }>('SELECT segment FROM debt_recompute_pending ORDER BY 1')).map((r) => r.segment));

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-recompute-cli-'));
	dbPath = join(dir, 'cx.duckdb');
	await withDbAt(dbPath, async (db) => {
		await insertCustomers(db, [aCustomer().withId('a').inSegment('default').build(), aCustomer().withId('v').inSegment('vip').build()]);
		const r = await ingestEvents(
			db,
			['a', 'v'].map((c) => anEvent().withCustomer(c).withType('complaint').at('2026-01-01T00:00:00Z').build()),
			{ source: 'test' }
		);
		expect(r).toMatchObject({ ok: true });
		// Saved after the events: their stored debt is still the defaults' 15 points.
		const weights = { ...DEFAULT_TOLERANCE.weights, complaint: 25 };
		await saveToleranceSettings(db, '*', { ...DEFAULT_TOLERANCE, weights });
		await saveToleranceSettings(db, 'vip', { ...DEFAULT_TOLERANCE, weights: { ...weights, complaint: 50 } });
	});
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cx recompute-debt', () => {
	it('refuses an unknown or the * segment, changing nothing', async () => {
		const typo = await runCli(['recompute-debt', '--segment', 'vpi', '--db', dbPath]);
		expect(typo.code).toBe(1);
		expect(typo.err.join('\n')).toContain('--segment: no segment "vpi" (known: default, vip)');
		const star = await runCli(['recompute-debt', '--segment', '*', '--db', dbPath]);
		expect(star.code).toBe(2);
		expect(star.err.join('\n')).toContain('leave --segment out to recompute every customer');
		expect(await debts()).toEqual([
			{ customer_id: 'a', debt: 15 },
			{ customer_id: 'v', debt: 15 }
		]);
		expect(await owed()).toEqual(['*', 'vip']);
	});

	it('recomputes one segment, then everyone, and says how many', async () => {
		const vip = await runCli(['recompute-debt', '--segment', 'vip', '--db', dbPath]);
		expect(vip.code).toBe(0);
		expect(vip.out.join('\n')).toMatch(/^recomputed the experience debt of 1 customer in segment vip in \d+\.\d s \([\d,]+ customers\/s\); 1 has debt$/);
		expect(await debts()).toEqual([
			{ customer_id: 'a', debt: 15 },
			{ customer_id: 'v', debt: 50 }
		]);
		// vip's own recompute is done; everyone's, owed by the save of '*', is not.
		expect(await owed()).toEqual(['*']);
		const all = await runCli(['recompute-debt', '--db', dbPath]);
		expect(all.code).toBe(0);
		expect(all.out.join('\n')).toMatch(/^recomputed the experience debt of 2 customers in/);
		expect(all.err).toEqual(['recompute-debt: 2/2 customers']);
		expect(await debts()).toEqual([
			{ customer_id: 'a', debt: 25 },
			{ customer_id: 'v', debt: 50 }
		]);
		expect(await owed()).toEqual([]);
	});
});
