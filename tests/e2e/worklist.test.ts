// A retention user signs in, finds the work item opened for a customer whose events came in through
// POST /api/v1/events, claims it with the keyboard and resolves it with outcome, root cause and note.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser } from 'playwright-core';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { createUser } from '../../src/lib/server/auth/users';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { ARTIFACTS, launchBrowser } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { anEvent } from '../fixtures/events';

const PASSWORD = 'retention-pass-1234';
let server: TestServer;
let browser: Browser;
let dir: string;
let ingestKey = '';
let readKey = '';

async function items(): Promise<
	{
		id: string;
		customer_id: string;
		state: string;
		assignee: string | null;
		outcome: string | null;
		root_cause: string | null;
		note: string | null;
	}[]
> {
	const r = await fetch(`${server.url}/api/v1/workitems?state=open,claimed,snoozed,resolved`, {
		headers: { authorization: `Bearer ${readKey}` }
	});
	return ((await r.json()) as { items: Awaited<ReturnType<typeof items>> }).items;
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-e2e-wl-'));
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		const u = await createUser(db, { username: 'rita', role: 'retention', password: PASSWORD });
		const k = await createApiKey(db, { scope: 'ingest', createdBy: 'test' });
		const r = await createApiKey(db, { scope: 'executive', createdBy: 'test' });
		if (!u.ok || !k.ok || !r.ok) throw new Error('could not create test credentials');
		ingestKey = k.value.token;
		readKey = r.value.token;
	} finally {
		await shutdownDb(dbPath);
	}
	server = await startServer({ dir, env: { CX_TICK_MS: '250' } });
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	await server?.stop({ keepDir: true });
	rmSync(dir, { recursive: true, force: true });
});

describe('work list', () => {
	it('a retention user claims and resolves an item created by ingested events', async () => {
		const now = Date.now();
		const events = [
			anEvent()
				.withCustomer('cust-unhappy')
				.withType('complaint')
				.at(new Date(now - 7200_000))
				.build(),
			anEvent()
				.withCustomer('cust-unhappy')
				.withType('complaint')
				.at(new Date(now - 3600_000))
				.build(),
			anEvent()
				.withCustomer('cust-unhappy')
				.withType('survey_nps')
				.withRating(1)
				.at(new Date(now - 1800_000))
				.build(),
			anEvent()
				.withCustomer('cust-unhappy')
				.withType('survey_csat')
				.withRating(1)
				.at(new Date(now - 600_000))
				.build()
		];
		const posted = await fetch(`${server.url}/api/v1/events`, {
			method: 'POST',
			headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
			body: JSON.stringify(events)
		});
		expect(posted.status).toBe(200);

		const page = await browser.newPage();
		try {
			// Type after hydration (it resets a username typed before it); the login URL's ?next= holds "/alerts" too.
			await page.goto(`${server.url}/login?next=/alerts`, { waitUntil: 'networkidle' });
			await page.fill('input[name="username"]', 'rita');
			await page.fill('input[name="password"]', PASSWORD);
			await Promise.all([page.waitForURL((u) => u.pathname === '/alerts'), page.click('button[type="submit"]')]);

			// The alert loop opens the item within a few seconds; the page reloads on the live `workitem` event.
			const row = page.locator('tr[data-item-id]', { hasText: 'cust-unhappy' });
			await row.waitFor({ timeout: 20_000 });
			expect(await row.getAttribute('data-state')).toBe('open');
			await page.screenshot({ path: join(ARTIFACTS, 'worklist-open.png'), fullPage: true });

			await page.locator('body').click({ position: { x: 1, y: 1 } });
			await page.keyboard.press('c');
			await page
				.locator('tr[data-item-id][data-state="claimed"]', { hasText: 'cust-unhappy' })
				.waitFor({ timeout: 10_000 });
			expect(await row.textContent()).toContain('rita');

			await page.keyboard.press('r');
			const dialog = page.getByRole('dialog');
			await dialog.waitFor();
			await dialog.getByLabel('Retained').check();
			await dialog.getByLabel('Root cause').fill('slow support');
			await dialog.getByLabel('Note').fill('called the customer, waived the fee');
			await dialog.getByRole('button', { name: 'Resolve' }).click();
			await page
				.locator('tr[data-item-id]', { hasText: 'cust-unhappy' })
				.waitFor({ state: 'detached', timeout: 10_000 });

			const [item] = (await items()).filter((i) => i.customer_id === 'cust-unhappy');
			expect(item).toMatchObject({
				state: 'resolved',
				assignee: 'rita',
				outcome: 'retained',
				root_cause: 'slow support',
				note: 'called the customer, waived the fee'
			});

			await page.goto(`${server.url}/alerts?state=resolved`);
			const resolved = page.locator('tr[data-item-id]', { hasText: 'cust-unhappy' });
			await resolved.locator('summary').click();
			const history = await resolved.locator('details ol').textContent();
			expect(history).toMatch(/system: — → open/);
			expect(history).toMatch(/rita: open → claimed/);
			expect(history).toMatch(/rita: claimed → resolved/);
			await page.screenshot({ path: join(ARTIFACTS, 'worklist-resolved.png'), fullPage: true });
		} catch (e) {
			await page.screenshot({ path: join(ARTIFACTS, 'worklist-failure.png'), fullPage: true });
			console.error(`server output:\n${server.output()}`);
			throw e;
		} finally {
			await page.close();
		}
	});
});
