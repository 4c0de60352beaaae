// The /customers page against a real server: by default it lists the customers one can still keep, so
// customers who already cancelled (near-certain churn scores) do not top the churn-risk ranking; it filters
// by risk band; a customer's page says why their score is in its band.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlTs } from '../../src/lib/server/alerts/sql-time';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { ingestEvents } from '../../src/lib/server/ingest';
import { anEvent } from '../fixtures/events';
import { startServer, type TestServer } from '../helpers/server';
import { signInOver } from './auth-http';

let server: TestServer;
let dir: string;
let cookie: string;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-customers-page-'));
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		const day = 86_400_000;
		const now = Date.now();
		const r = await ingestEvents(
			db,
			[
				anEvent().withCustomer('cust-stays').withType('purchase').withValue(20).at(new Date(now - 3 * day)).build(),
				anEvent().withCustomer('cust-gone').withType('purchase').withValue(20).at(new Date(now - 9 * day)).build(),
				anEvent().withCustomer('cust-gone').withType('cancellation').at(new Date(now - 8 * day)).build()
			],
			{ source: 'test' }
		);
		if (!r.ok) throw new Error(JSON.stringify(r.errors));
		// Scores as the scorer stores them (with reasons, so viewing does not ask for them again): one from the
		// registry's v0001, one from a version the registry does not hold.
		for (const [id, version] of [
			['cust-stays', 'v0001'],
			['cust-gone', 'v0099']
		])
			await db.run(
				`INSERT INTO scores (customer_id, model_version, probability, risk_band, reasons, scored_at) VALUES ($1, $2, 0.16, 'high', '[]', $3::TIMESTAMP)`,
				[id, version, sqlTs(now - day)]
			);
	} finally {
		await shutdownDb(dbPath);
	}
	// The bundled v0001's metadata (bands from its validation customers) without a champion, so no scorer
	// replaces the scores above.
	const models = join(dir, 'models');
	mkdirSync(join(models, 'v0001'), { recursive: true });
	copyFileSync(join(process.cwd(), 'models/churn/v0001/metadata.json'), join(models, 'v0001', 'metadata.json'));
	server = await startServer({ dir, env: { CX_MODELS_DIR: models } });
	const s = await signInOver(server, 'admin', server.adminPassword()!);
	cookie = s.cookie!;
});

afterAll(async () => {
	await server?.stop();
	rmSync(dir, { recursive: true, force: true });
});

async function page(query: string): Promise<string> {
	const r = await fetch(`${server.url}/customers${query}`, { headers: { cookie } });
	expect(r.status).toBe(200);
	// Svelte marks its text parts with comments; the sentence a reader sees is without them, with
	// white space collapsed as a browser shows it.
	return (await r.text()).replace(/<!--[^]*?-->/g, '').replace(/\s+/g, ' ');
}

describe('/customers', () => {
	it('lists current customers by default, cancelled and all on request', async () => {
		const byDefault = await page('');
		expect(byDefault).toContain('1 current customer.');
		expect(byDefault).toContain('cust-stays');
		expect(byDefault).not.toContain('cust-gone');

		const cancelled = await page('?status=cancelled');
		expect(cancelled).toContain('1 cancelled customer.');
		expect(cancelled).toContain('cust-gone');
		expect(cancelled).not.toContain('cust-stays');

		const all = await page('?status=all');
		expect(all).toContain('2 customers.');
		expect(all).toContain('cust-stays');
		expect(all).toContain('cust-gone');
		// Whatever the status, the chosen option is the one shown.
		expect(all).toMatch(/<option value="all"[^>]*selected/);
	});

	it('says a page past the end is past it, with a link back, instead of "No current customers"', async () => {
		const past = await page('?page=7');
		expect(past).toContain('1 current customer.');
		expect(past).toContain('Page 7 is past the end (1 page): <a href="?q=&amp;segment=&amp;status=active&amp;risk=&amp;sort=risk&amp;page=1">first page</a>');
		expect(past).not.toContain('No current customers');
		expect(past).not.toContain('cust-stays');
	});

	it('answers a bad page, status or sort with a 400 naming the parameter, and a way back to Customers', async () => {
		for (const [query, message] of [
			['?page=0', 'page: must be a whole number from 1 (got "0")'],
			['?page=-2', 'page: must be a whole number from 1 (got "-2")'],
			['?page=next', 'page: must be a whole number from 1 (got "next")'],
			['?status=gone', 'status: must be one of active, cancelled, all (got "gone")'],
			['?sort=name', 'sort: must be one of risk, debt, value, recent, id (got "name")'],
			['?risk=urgent', 'risk: must be one of high, medium, low (or empty for all) (got "urgent")']
		]) {
			const r = await fetch(`${server.url}/customers${query}`, { headers: { cookie } });
			expect(r.status, query).toBe(400);
			const html = await r.text();
			expect(html, query).toContain(message);
			expect(html, query).toContain('<a href="/customers">Back to Customers</a>');
		}
	});

	it('filters by risk band, leaving out customers who have left, and says what was filtered when none is left', async () => {
		const high = await page('?risk=high');
		expect(high).toContain('1 current customer in the high risk band.');
		expect(high).toContain('cust-stays');
		expect(high).toMatch(/<option value="high"[^>]*selected/);
		// "All customers" does not bring back one who has left: the at-risk tiles do not count them either.
		const all = await page('?risk=high&status=all');
		expect(all).toContain('1 customer in the high risk band.');
		expect(all).not.toContain('cust-gone');
		expect(await page('?risk=medium&segment=default')).toContain(
			"No current customer in the medium risk band in segment default. A customer is in a band once the churn model has scored them, and each model sets where its bands start (the Models page shows the champion's)."
		);
		// A search that finds nobody is not explained by scoring.
		expect(await page('?risk=high&q=zzzz')).not.toContain('A customer is in a band once');
		expect(await page('?risk=high&status=cancelled')).toContain(
			'No cancelled customer in the high risk band. A customer who has left is in no risk band: scores are for current customers.'
		);
	});

	it('filters the API by risk band, and refuses an unknown band naming the allowed ones', async () => {
		const ok = await fetch(`${server.url}/api/v1/customers?risk=high`, { headers: { cookie } });
		expect(ok.status).toBe(200);
		const body = (await ok.json()) as { total: number; rows: { customer_id: string; risk_band: string }[] };
		expect(body).toMatchObject({ total: 1, rows: [{ customer_id: 'cust-stays', risk_band: 'high' }] });
		const bad = await fetch(`${server.url}/api/v1/customers?risk=urgent`, { headers: { cookie } });
		expect(bad.status).toBe(400);
		expect(await bad.json()).toEqual({ error: 'unknown risk urgent; use high, medium, low (or leave it out for all)' });
	});

	it("says why a score is in its band from the model's validation customers, and nothing it cannot know", async () => {
		expect(await page('/cust-stays')).toMatch(/16\.0 % <span class="sub[^>]*>high risk — among the riskiest 10 % of customers for model v0001 · /);
		// v0099 is not in the registry: the band without a reason, the model named as before.
		const unknown = await page('/cust-gone');
		expect(unknown).toMatch(/high risk · model v0099 · /);
		expect(unknown).not.toContain('riskiest');
	});

	it('offers the way back to Customers from an unknown customer', async () => {
		const r = await fetch(`${server.url}/customers/nobody-here`, { headers: { cookie } });
		expect(r.status).toBe(404);
		const html = await r.text();
		expect(html).toContain('no customer nobody-here');
		expect(html).toContain('<a href="/customers">Back to Customers</a>');
		expect(html).not.toContain('Back to the overview');
	});
});
