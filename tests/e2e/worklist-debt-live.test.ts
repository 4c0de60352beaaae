// A work list left open keeps a tolerance item's "debt now" current: new complaints from the customer
// raise the figure on the open page without a reload, in place (the row's history stays open, the focus
// and the selection stay on the row). Nothing about the item itself changes, so no `workitem` event
// comes: before, the figure stayed what it was when the list was loaded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser } from 'playwright-core';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { createUser } from '../../src/lib/server/auth/users';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { seedDefaultRules } from '../../src/lib/server/alerts/default-rules';
import { ARTIFACTS, launchBrowser } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { anEvent } from '../fixtures/events';

const PASSWORD = 'retention-pass-1234';
let server: TestServer;
let browser: Browser;
let dir: string;
let ingestKey = '';

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-e2e-debt-'));
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		const u = await createUser(db, { username: 'rita', role: 'retention', password: PASSWORD });
		const k = await createApiKey(db, { scope: 'ingest', createdBy: 'test' });
		if (!u.ok || !k.ok) throw new Error('could not create test credentials');
		ingestKey = k.value.token;
		// Metric rules off: their alerts reload the whole page, which would change the figure for another
		// reason than the one under test.
		await seedDefaultRules(db);
		await db.run(`UPDATE alert_rules SET enabled = false WHERE kind = 'metric'`);
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

async function post(events: ReturnType<ReturnType<typeof anEvent>['build']>[]): Promise<void> {
	const r = await fetch(`${server.url}/api/v1/events`, {
		method: 'POST',
		headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
		body: JSON.stringify(events)
	});
	expect(r.status, await r.text()).toBe(200);
}

const complaint = (at: number) => anEvent().withCustomer('cust-live').withType('complaint').at(new Date(at)).build();

describe('work list debt now', () => {
	it('rises on the open list when the customer complains again, in place and without a reload', async () => {
		const now = Date.now();
		await post([
			complaint(now - 7200_000),
			complaint(now - 3600_000),
			anEvent().withCustomer('cust-live').withType('survey_nps').withRating(1).at(new Date(now - 1800_000)).build(),
			anEvent().withCustomer('cust-live').withType('survey_csat').withRating(1).at(new Date(now - 600_000)).build()
		]);

		const page = await browser.newPage();
		try {
			await page.goto(`${server.url}/login?next=/alerts`, { waitUntil: 'networkidle' });
			await page.fill('input[name="username"]', 'rita');
			await page.fill('input[name="password"]', PASSWORD);
			await Promise.all([page.waitForURL((u) => u.pathname === '/alerts'), page.click('button[type="submit"]')]);
			const row = page.locator('tr[data-item-id]', { hasText: 'cust-live' });
			await row.waitFor({ timeout: 20_000 });
			await page.locator('.live[data-live-state="open"]').waitFor({ timeout: 10_000 });

			const debtNow = async (): Promise<number> => {
				const m = /debt ([\d.,]+) pts now \(([\d.,]+) at opening\)/.exec((await row.textContent()) ?? '');
				if (!m) throw new Error(`no "debt … pts now" in the row: ${await row.textContent()}`);
				return Number(m[1].replace(/,/g, ''));
			};
			const before = await debtNow();
			expect(before).toBeGreaterThan(0);

			// The user is on the row: its history open, the row focused (so selected).
			await row.locator('summary').click();
			await row.focus();
			// A reload of the document would drop this.
			await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
			// A data reload (invalidateAll: the list reloads on alert and work-item events, which the new
			// complaints may bring) would also show the new figure; it is held unanswered from here on, so only
			// the in-place re-read can change the figure.
			await page.route(
				(u) => u.pathname.endsWith('/__data.json'),
				() => new Promise<void>(() => {})
			);

			await post([complaint(Date.now()), complaint(Date.now())]);

			// Two complaints at the default weight of 8 pts each.
			await expect
				.poll(debtNow, { timeout: 30_000, interval: 250 })
				.toBeGreaterThan(before + 10);
			expect(await row.locator('details').getAttribute('open')).not.toBeNull();
			expect(await row.getAttribute('aria-selected')).toBe('true');
			expect(await page.evaluate(() => document.activeElement?.getAttribute('data-item-id') ?? null)).toBe(
				await row.getAttribute('data-item-id')
			);
			expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
			await page.screenshot({ path: join(ARTIFACTS, 'worklist-debt-live.png'), fullPage: true });
		} finally {
			await page.close();
		}
	});
});
