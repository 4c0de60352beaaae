// The Customers list and a customer's page as a retention user meets them: search and paging keep the
// keyboard focus (on the list's summary, which a screen reader reads out), a page past the end says so
// and links back, a customer without experiences reads 0 pts in both places, a monthly value never given
// reads "not set" (one given as 0 reads £0), and outcomes are words, not codes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { evaluateAlerts } from '../../src/lib/server/alerts/evaluate';
import { saveRule } from '../../src/lib/server/alerts/rules';
import { claimWorkItem, resolveWorkItem } from '../../src/lib/server/alerts/work-item-actions';
import { upsertCustomers } from '../../src/lib/server/customers/upsert-customers';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { ingestEvents } from '../../src/lib/server/ingest';
import { ARTIFACTS, launchBrowser } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { anEvent } from '../fixtures/events';

let server: TestServer;
let browser: Browser;
let page: Page;
let dir: string;

/** 120 current customers (three pages of 50); cu-sad's resolved work item says "no_action". */
beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-e2e-customers-'));
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		const now = Date.now();
		const visits = Array.from({ length: 119 }, (_, i) =>
			anEvent().withCustomer(`cu-${String(i).padStart(3, '0')}`).withType('visit').at(new Date(now - 86_400_000)).build()
		);
		// Enough bad experiences to cross the tolerance limit, so the tolerance rule opens an item.
		const at = (h: number) => new Date(now - h * 3600_000);
		const sad = [
			anEvent().withCustomer('cu-sad').withType('complaint').at(at(4)).build(),
			anEvent().withCustomer('cu-sad').withType('complaint').at(at(3)).build(),
			anEvent().withCustomer('cu-sad').withType('survey_nps').withRating(1).at(at(2)).build(),
			anEvent().withCustomer('cu-sad').withType('survey_csat').withRating(1).at(at(1)).build()
		];
		const r = await ingestEvents(db, [...visits, ...sad], { source: 'test', now: new Date(now) });
		if (!r.ok) throw new Error(JSON.stringify(r.errors));
		const c = await upsertCustomers(db, [
			{ customer_id: 'cu-000', name: 'Ada Smith', monthly_value: 80 },
			{ customer_id: 'cu-001', monthly_value: 0 }
		]);
		if (!c.ok) throw new Error(JSON.stringify(c.errors));
		await saveRule(db, { id: 'tol', name: 'Tolerance', definition: { kind: 'tolerance' } });
		const [item] = (await evaluateAlerts(db, new Map(), { customers: true, now })).opened;
		const rita = { name: 'rita', admin: false };
		if (!item || !(await claimWorkItem(db, item.id, rita, now)).ok) throw new Error('no work item for cu-sad');
		const done = await resolveWorkItem(db, item.id, rita, { outcome: 'no_action', root_cause: 'condition cleared' }, now);
		if (!done.ok) throw new Error(JSON.stringify(done));
	} finally {
		await shutdownDb(dbPath);
	}
	server = await startServer({ dir });
	browser = await launchBrowser();
	page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	await page.goto(`${server.url}/login?next=/customers`);
	await page.fill('input[name="username"]', 'admin');
	await page.fill('input[name="password"]', server.adminPassword()!);
	await Promise.all([page.waitForURL((u) => u.pathname === '/customers'), page.click('button[type="submit"]')]);
});

afterAll(async () => {
	await browser?.close();
	await server?.stop({ keepDir: true });
	rmSync(dir, { recursive: true, force: true });
});

const summary = () => page.getByTestId('customers-summary');
/** The focused element's test id (or tag): where a keyboard user is after the action. */
const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);
const squash = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

describe('customers list', () => {
	it('moves the focus to the summary after a search, which names what was found', async () => {
		await page.getByLabel('Search id or name').fill('Smith');
		await page.getByLabel('Search id or name').press('Enter');
		await page.waitForURL((u) => u.searchParams.get('q') === 'Smith');
		await summary().filter({ hasText: 'matching “Smith”' }).waitFor();
		expect(squash(await summary().textContent())).toBe('1 current customer matching “Smith”.');
		expect(await focused()).toBe('customers-summary');
		// The list's own row: given a value, so it reads in £; no experience counted, so 0 pts.
		const row = page.locator('tbody tr', { hasText: 'Ada Smith' });
		expect(squash(await row.locator('td').nth(2).textContent())).toBe('£80/mo');
		expect(squash(await row.locator('td').nth(3).textContent())).toMatch(/^0 \/ \d+(\.\d+)? pts$/);
	});

	it('moves the focus to the new page’s summary after paging by keyboard, and says which page it is', async () => {
		await page.goto(`${server.url}/customers?sort=id`, { waitUntil: 'networkidle' });
		expect(squash(await summary().textContent())).toBe('120 current customers. Page 1 of 3.');
		const next = page.getByRole('link', { name: 'next →' });
		await next.focus();
		await next.press('Enter');
		await page.waitForURL((u) => u.searchParams.get('page') === '2');
		await summary().filter({ hasText: 'Page 2 of 3.' }).waitFor();
		expect(await focused()).toBe('customers-summary');
		// Tab goes on into the new page's rows, not back to the top of the document.
		await page.keyboard.press('Tab');
		expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('cu-050');
		await page.screenshot({ path: join(ARTIFACTS, 'customers-page-2.png') });
	});

	it('says a page past the end is past it, links to the first and last page, and keeps the focus on the way back', async () => {
		await page.goto(`${server.url}/customers?sort=id&page=999`, { waitUntil: 'networkidle' });
		expect(squash(await summary().textContent())).toBe(
			'120 current customers. Page 999 is past the end (3 pages): first page · last page (3)'
		);
		expect(await page.locator('table').count()).toBe(0);
		expect(await page.getByText('No current customers').count()).toBe(0);
		await page.getByRole('link', { name: 'last page (3)' }).click();
		await page.waitForURL((u) => u.searchParams.get('page') === '3');
		await summary().filter({ hasText: 'Page 3 of 3.' }).waitFor();
		expect(await focused()).toBe('customers-summary');
		// The last page holds the rest: 120 - 2 × 50.
		expect(await page.locator('tbody tr').count()).toBe(20);
	});

	it('shows "not set" for a value never given and £0 for one given as 0', async () => {
		await page.goto(`${server.url}/customers?sort=id&q=cu-00`, { waitUntil: 'networkidle' });
		const value = async (id: string) =>
			squash(await page.locator('tbody tr', { hasText: id }).locator('td').nth(2).textContent());
		expect(await value('cu-001')).toBe('£0/mo');
		expect(await value('cu-002')).toBe('not set');
	});
});

describe('customer page', () => {
	it('a customer with one event and no experience: value not set, 0 pts said in a sentence, not an empty chart', async () => {
		await page.goto(`${server.url}/customers/cu-002`, { waitUntil: 'networkidle' });
		expect(squash(await page.getByTestId('monthly-value').textContent())).toBe('not set');
		const empty = page.getByTestId('debt-chart-empty');
		expect(squash(await empty.textContent())).toMatch(/^No experiences counted yet: debt 0 pts of \d+(\.\d+)? pts\.$/);
		expect(await page.locator('section[aria-labelledby="debt"] svg').count()).toBe(0);
		expect(squash(await page.locator('[data-testid="journey-events"] summary').textContent())).toBe('This 1 event as a list');
	});

	it('names a resolved item’s outcome in words, on the customer page and on the work list', async () => {
		await page.goto(`${server.url}/customers/cu-sad`, { waitUntil: 'networkidle' });
		const items = page.locator('section[aria-labelledby="items"]');
		expect(squash(await items.locator('tbody').textContent())).toContain('No action needed · condition cleared');
		expect(await items.textContent()).not.toContain('no_action');
		expect(squash(await page.locator('[data-testid="journey-events"] summary').textContent())).toBe('These 4 events as a list');

		await page.goto(`${server.url}/alerts?customer_id=cu-sad&state=resolved`, { waitUntil: 'networkidle' });
		const row = page.locator('tbody tr', { hasText: 'cu-sad' }).first();
		await row.waitFor();
		expect(squash(await row.textContent())).toContain('No action needed · condition cleared');
		await row.getByText(/^History/).click();
		expect(squash(await row.locator('.history').textContent())).toContain('(No action needed)');
		expect(await row.textContent()).not.toContain('no_action');
	});

	it('names the journey’s events in words, as the churn reasons do; the code stays on hover', async () => {
		await page.goto(`${server.url}/customers/cu-sad`, { waitUntil: 'networkidle' });
		const list = page.getByTestId('journey-events');
		await list.locator('summary').click();
		const eventCells = list.locator('tbody tr td:nth-child(2)');
		await eventCells.first().waitFor();
		// Newest first: CSAT 1 h ago, NPS 2 h ago, the two complaints before.
		expect((await eventCells.allTextContents()).map(squash)).toEqual(['CSAT survey', 'NPS survey', 'complaint', 'complaint']);
		expect(await eventCells.nth(1).getAttribute('title')).toBe('survey_nps');
		expect(await list.locator('tbody').textContent()).not.toMatch(/survey[ _]nps|survey[ _]csat/);
		// The chart's marks say the same words when hovered.
		const titles = await page.locator('.timeline svg path.ev title').allTextContents();
		expect(titles.some((t) => t.includes(' · NPS survey · '))).toBe(true);
		expect(titles.join('\n')).not.toContain('survey_nps');
	});
});
