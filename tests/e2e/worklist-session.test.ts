// The work list when the session ends elsewhere, and a filter chosen before the page is interactive.
// - Signed out in another tab of the same browser: the open work list stays where it is (no jump to the login
//   page), the header says "Signed out" with "Sign in again" back to this page, a claim says at once that it
//   was not saved, and a dialog keeps what was typed.
// - A session that ended while its cookie is still sent (signed out on another device, expired): the login
//   page says why.
// - A filter chosen while the page is still loading its scripts is applied once it is interactive: the
//   select and the listed rows agree.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
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
/** Another retention user, acting through the API. */
let ronKey = '';

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-e2e-wls-'));
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		const u = await createUser(db, { username: 'rita', role: 'retention', password: PASSWORD });
		const k = await createApiKey(db, { scope: 'ingest', createdBy: 'test' });
		const ron = await createApiKey(db, { scope: 'retention', name: 'ron', createdBy: 'test' });
		if (!u.ok || !k.ok || !ron.ok) throw new Error('could not create test credentials');
		ingestKey = k.value.token;
		ronKey = ron.value.token;
	} finally {
		await shutdownDb(dbPath);
	}
	server = await startServer({ dir, env: { CX_TICK_MS: '250' } });
	browser = await launchBrowser();
	// Two customers over their tolerance: two open items; ron resolves one, so "to do" and "resolved" differ.
	await postUnhappy(['cust-open', 'cust-done']);
	const done = await waitForItem('cust-done');
	const r = await fetch(`${server.url}/api/v1/workitems/${done}/resolve`, {
		method: 'POST',
		headers: { authorization: `Bearer ${ronKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({ outcome: 'no_action' })
	});
	expect(r.status, await r.text()).toBe(200);
	await waitForItem('cust-open');
});

afterAll(async () => {
	await browser?.close();
	await server?.stop({ keepDir: true });
	rmSync(dir, { recursive: true, force: true });
});

/** Complaints and bad surveys: the customer's debt crosses the tolerance limit, so an item opens. */
async function postUnhappy(customers: string[]): Promise<void> {
	const now = Date.now();
	const events = customers.flatMap((c) => [
		anEvent().withCustomer(c).withType('complaint').at(new Date(now - 7200_000)).build(),
		anEvent().withCustomer(c).withType('complaint').at(new Date(now - 3600_000)).build(),
		anEvent().withCustomer(c).withType('survey_nps').withRating(1).at(new Date(now - 1800_000)).build(),
		anEvent().withCustomer(c).withType('survey_csat').withRating(1).at(new Date(now - 600_000)).build()
	]);
	const posted = await fetch(`${server.url}/api/v1/events`, {
		method: 'POST',
		headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
		body: JSON.stringify(events)
	});
	expect(posted.status).toBe(200);
}

/** The id of the customer's work item, once the alert loop has opened it. */
async function waitForItem(customer: string): Promise<string> {
	for (let i = 0; i < 100; i++) {
		const r = await fetch(`${server.url}/api/v1/workitems?state=open,claimed,snoozed,resolved&customer_id=${customer}`, {
			headers: { authorization: `Bearer ${ronKey}` }
		});
		const { items } = (await r.json()) as { items: { id: string }[] };
		if (items.length) return items[0].id;
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(`no work item opened for ${customer}`);
}

async function signIn(page: Page, next: string): Promise<void> {
	await page.goto(`${server.url}/login?next=${encodeURIComponent(next)}`, { waitUntil: 'networkidle' });
	await page.fill('input[name="username"]', 'rita');
	await page.fill('input[name="password"]', PASSWORD);
	await Promise.all([page.waitForURL((u) => u.pathname === '/alerts'), page.click('button[type="submit"]')]);
}

describe('work list and the session', () => {
	it('signed out in another tab: the list stays, says "Signed out", and a claim says it was not saved', async () => {
		const ctx = await browser.newContext();
		const here = await ctx.newPage();
		try {
			await signIn(here, '/alerts?reason=tolerance');
			const row = here.locator('tr[data-item-id]', { hasText: 'cust-open' });
			await row.waitFor({ timeout: 20_000 });
			await here.locator('[data-live-state="open"]').waitFor({ timeout: 15_000 });
			const there = await ctx.newPage();
			await there.goto(`${server.url}/alerts`);
			await Promise.all([there.waitForURL(/\/login/), there.getByRole('button', { name: 'Sign out' }).click()]);

			// A new item makes the list reload (a live update, if the stream still delivers one), and c claims the
			// selected row: both answered "signed out". The page stays.
			await postUnhappy(['cust-late']);
			await row.focus();
			await here.keyboard.press('c');
			// (It used to go to the login page by itself, after the claim's 401, taking any typed text with it.)
			await here.waitForTimeout(3000);
			expect(new URL(here.url()).pathname + new URL(here.url()).search).toBe('/alerts?reason=tolerance');
			const note = here.getByRole('alert').filter({ hasText: 'not saved' });
			await note.waitFor({ timeout: 10_000 });
			expect(await note.textContent()).toMatch(/Could not claim .*cust-open.*: your session has ended .*so this was not saved/);
			const header = here.locator('header.shell');
			await header.getByRole('link', { name: 'Sign in again' }).waitFor({ timeout: 10_000 });
			expect(await header.getByTestId('signed-out').textContent()).toBe('Signed out');
			expect(await header.getByRole('link', { name: 'Sign in again' }).getAttribute('href')).toBe(
				'/login?next=%2Falerts%3Freason%3Dtolerance'
			);

			// A dialog answered "signed out" keeps its text.
			await row.focus();
			await here.keyboard.press('n');
			const dialog = here.getByRole('dialog');
			await dialog.waitFor();
			await here.keyboard.type('called twice, no answer');
			await here.keyboard.press('Control+Enter');
			await dialog.getByRole('alert').filter({ hasText: 'not saved' }).waitFor({ timeout: 10_000 });
			expect(await dialog.getByLabel('Note').inputValue()).toBe('called twice, no answer');

			// Long enough for the reload the new item's live update (or the live client's retry) would cause.
			await here.waitForTimeout(4000);
			const url = new URL(here.url());
			expect(url.pathname + url.search).toBe('/alerts?reason=tolerance');
			expect(await dialog.getByLabel('Note').inputValue()).toBe('called twice, no answer');
			await here.screenshot({ path: join(ARTIFACTS, 'worklist-signed-out-elsewhere.png') });
		} finally {
			await ctx.close();
		}
	});

	it('a session ended while its cookie is still sent: the login page says why', async () => {
		const ctx = await browser.newContext();
		const page = await ctx.newPage();
		try {
			await signIn(page, '/alerts');
			// The same session in another browser (a second device), signed out there.
			const other = await browser.newContext({ storageState: await ctx.storageState() });
			const elsewhere = await other.newPage();
			await elsewhere.goto(`${server.url}/alerts`);
			await Promise.all([elsewhere.waitForURL(/\/login/), elsewhere.getByRole('button', { name: 'Sign out' }).click()]);
			await other.close();
			await page.goto(`${server.url}/alerts?state=resolved`);
			const url = new URL(page.url());
			expect(url.pathname).toBe('/login');
			expect(url.searchParams.get('next')).toBe('/alerts?state=resolved');
			expect(await page.getByTestId('session-ended').textContent()).toBe('Your session ended; sign in again to continue.');
		} finally {
			await ctx.close();
		}
	});
});

describe('work list filters', () => {
	it('a filter chosen before the page is interactive is applied: the select and the list agree', async () => {
		const ctx = await browser.newContext();
		const page = await ctx.newPage();
		try {
			await signIn(page, '/alerts');
			await page.locator('tr[data-item-id]', { hasText: 'cust-open' }).waitFor({ timeout: 20_000 });
			// Hold the app's scripts back so the choice is certainly made before hydration (a slow connection).
			let release!: () => void;
			const held = new Promise<void>((r) => (release = r));
			await page.route('**/_app/immutable/**/*.js', async (route) => {
				await held;
				await route.continue();
			});
			await page.goto(`${server.url}/alerts`, { waitUntil: 'domcontentloaded' });
			expect(await page.locator('[data-live-state]').textContent()).toContain('connecting');
			await page.getByLabel('State').selectOption('resolved');
			release();
			await page.waitForURL((u) => u.searchParams.get('state') === 'resolved', { timeout: 15_000 });
			await page.locator('tr[data-item-id]', { hasText: 'cust-done' }).waitFor({ timeout: 10_000 });
			expect(await page.getByLabel('State').inputValue()).toBe('resolved');
			expect(await page.locator('tr[data-item-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state')))).toEqual([
				'resolved'
			]);
			// The filters that were not touched keep what the URL says.
			expect(await page.getByLabel('Sort').inputValue()).toBe('priority');
			expect(new URL(page.url()).search).toBe('?state=resolved');
		} finally {
			await ctx.close();
		}
	});
});
