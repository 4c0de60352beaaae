// "Customers at risk (N) →" on the at-risk metric pages links to the customers behind the tile; with no one
// at risk there is nothing to list, so the page says so in plain text instead of linking to an empty list.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlTs } from '../../src/lib/server/alerts/sql-time';
import { getDb, shutdownDb, type Db } from '../../src/lib/server/db';
import { atRiskCustomersLink } from '../../src/lib/server/metrics/at-risk-link';
import { aCustomer } from '../fixtures/alerts';
import { insertCustomers } from '../fixtures/alerts-db';
import { startServer, type TestServer } from '../helpers/server';
import { signInOver } from './auth-http';

let dir: string;
let server: TestServer;
let cookie: string;

/** Customers in two segments, scored by v0001: one high in vip, none high in default. */
async function seed(db: Db): Promise<void> {
	await insertCustomers(db, [
		aCustomer().withId('d1').worth(100).build(),
		aCustomer().withId('d2').worth(200).build(),
		aCustomer().withId('v1').inSegment('vip').worth(300).build()
	]);
	const at = sqlTs(Date.now() - 3_600_000);
	await db.write(async (conn) => {
		for (const [id, p, band] of [
			['d1', 0.09, 'medium'],
			['d2', 0.02, 'low'],
			['v1', 0.3, 'high']
		] as const)
			await conn.run(
				`INSERT INTO scores (customer_id, model_version, probability, risk_band, reasons, scored_at) VALUES ($1, 'v0001', $2, $3, '[]', $4::TIMESTAMP)`,
				[id, p, band, at]
			);
	});
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-at-risk-link-'));
	const dbPath = join(dir, 'cx.duckdb');
	await seed(await getDb(dbPath));
	await shutdownDb(dbPath);
	// An empty registry: no champion, so no scorer replaces the scores above.
	const models = join(dir, 'models');
	mkdirSync(models);
	server = await startServer({ dir, env: { CX_MODELS_DIR: models } });
	cookie = (await signInOver(server, 'admin', server.adminPassword()!)).cookie!;
});

afterAll(async () => {
	await server?.stop();
	rmSync(dir, { recursive: true, force: true });
});

const page = async (path: string) => {
	const r = await fetch(`${server.url}${path}`, { headers: { cookie } });
	expect(r.status, path).toBe(200);
	return r.text();
};

describe('the at-risk pages’ way to the customers behind them', () => {
	it('gives no link where no one is at risk, and the link where someone is', async () => {
		const db = await getDb(join(dir, 'fn.duckdb'));
		await seed(db);
		expect(await atRiskCustomersLink(db, 'at_risk_customers', 'default')).toEqual({ href: null, count: 0 });
		expect(await atRiskCustomersLink(db, 'at_risk_revenue', 'vip')).toEqual({
			href: '/customers?risk=high&sort=value&segment=vip',
			count: 1
		});
		expect(await atRiskCustomersLink(db, 'csat', null)).toBeNull();
		await shutdownDb(join(dir, 'fn.duckdb'));
	});

	it('says "No customers at risk right now" instead of linking to an empty list', async () => {
		for (const metric of ['at_risk_customers', 'at_risk_revenue']) {
			const none = await page(`/metrics/${metric}?segment=default`);
			expect(none, metric).toContain('<p data-testid="at-risk-none">No customers at risk right now</p>');
			expect(none, metric).not.toContain('data-testid="at-risk-link"');
		}
		const one = await page('/metrics/at_risk_customers?segment=vip');
		expect(one).toMatch(
			/<a href="\/customers\?risk=high&amp;sort=risk&amp;segment=vip" data-testid="at-risk-link">Customers at risk \(1\) →<\/a>/
		);
		expect(one).not.toContain('at-risk-none');
	});
});
