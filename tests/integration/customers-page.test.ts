// The /customers page against a real server: by default it lists the customers one can still keep, so
// customers who already cancelled (near-certain churn scores) do not top the churn-risk ranking.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
	} finally {
		await shutdownDb(dbPath);
	}
	server = await startServer({ dir });
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
		expect(past).toContain('Page 7 is past the end (1 page): <a href="?q=&amp;segment=&amp;status=active&amp;sort=risk&amp;page=1">first page</a>');
		expect(past).not.toContain('No current customers');
		expect(past).not.toContain('cust-stays');
	});

	it('answers a bad page, status or sort with a 400 naming the parameter, and a way back to Customers', async () => {
		for (const [query, message] of [
			['?page=0', 'page: must be a whole number from 1 (got "0")'],
			['?page=-2', 'page: must be a whole number from 1 (got "-2")'],
			['?page=next', 'page: must be a whole number from 1 (got "next")'],
			['?status=gone', 'status: must be one of active, cancelled, all (got "gone")'],
			['?sort=name', 'sort: must be one of risk, debt, value, recent, id (got "name")']
		]) {
			const r = await fetch(`${server.url}/customers${query}`, { headers: { cookie } });
			expect(r.status, query).toBe(400);
			const html = await r.text();
			expect(html, query).toContain(message);
			expect(html, query).toContain('<a href="/customers">Back to Customers</a>');
		}
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
