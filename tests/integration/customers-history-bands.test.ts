// A customer's past scores carry the band their model gave them (GET /api/v1/customers/:id score_history,
// the customer page): score_history stores no band, so it is worked out from each point's model version —
// its saved bands, or the fixed 30 % / 60 % for a version without them, as the scorer does.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { overrideConfig } from '../../src/lib/server/config';
import { loadCustomerProfile } from '../../src/lib/server/customers/profile-with-reasons';
import { aCustomer } from '../fixtures/alerts';
import { insertCustomers } from '../fixtures/alerts-db';
import { tempDb, type TempDb } from '../helpers/temp-db';

let t: TempDb;

beforeEach(async () => {
	t = await tempDb();
	const models = join(t.dir, 'models');
	// v0001: the bundled version's bands from its validation customers (high from 16.14 %, medium from 8.62 %).
	mkdirSync(join(models, 'v0001'), { recursive: true });
	copyFileSync(
		join(process.cwd(), 'models/churn/v0001/metadata.json'),
		join(models, 'v0001', 'metadata.json')
	);
	// v0002: saved before bands were recorded; v0003: a hand-edited file with one bound only.
	mkdirSync(join(models, 'v0002'));
	writeFileSync(join(models, 'v0002', 'metadata.json'), JSON.stringify({ version: 'v0002' }));
	mkdirSync(join(models, 'v0003'));
	writeFileSync(
		join(models, 'v0003', 'metadata.json'),
		JSON.stringify({ version: 'v0003', bands: { high: 0.2 } })
	);
	overrideConfig({ dbPath: t.path, modelsDir: models });
	await insertCustomers(t.db, [aCustomer().withId('c1').build()]);
});
afterEach(async () => t.cleanup());

describe('score history bands', () => {
	it('gives each past score the band of the version that scored it, and none for a version the registry no longer holds', async () => {
		const points: [string, number][] = [
			['v0001', 0.17],
			['v0001', 0.1],
			['v0001', 0.05],
			['v0002', 0.35],
			['v0002', 0.2],
			['v0003', 0.65],
			['v0003', 0.25],
			['v0099', 0.5]
		];
		await t.db.write(async (conn) => {
			for (const [i, [version, p]] of points.entries())
				await conn.run(
					`INSERT INTO score_history VALUES ('c1', $1, $2, TIMESTAMP '2026-01-01' + $3 * INTERVAL 1 HOUR)`,
					[version, p, i]
				);
		});
		const history = (await loadCustomerProfile(t.db, 'c1'))!.score_history;
		expect(history.map((h) => `${h.model_version} ${h.probability} ${h.risk_band}`)).toEqual([
			'v0001 0.17 high',
			'v0001 0.1 medium',
			'v0001 0.05 low',
			// No saved bands: the fixed 30 % / 60 %, as the scorer used.
			'v0002 0.35 medium',
			'v0002 0.2 low',
			// One bound is no bands: fixed too, not "high from 20 %".
			'v0003 0.65 high',
			'v0003 0.25 low',
			'v0099 0.5 null'
		]);
	});
});
