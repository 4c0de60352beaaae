// Times in the viewer's zone: a browser in New York sees the customer page, the work list and a wall in
// EST/EDT with the right hour (the server renders them so once the browser has told it its zone), the
// Account page switches every page to UTC, and a wall's ?tz= overrides the kiosk's own zone or says why not.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BEST_PRACTICE_TAGS, formatViolations, runAxe } from '../helpers/axe';
import { ARTIFACTS, launchBrowser } from '../helpers/browser';
import { anEvent } from '../fixtures/events';
import { postEvents, startLiveServer, type LiveServer } from '../integration/live-server';

let s: LiveServer;
let browser: Browser;
let ny: BrowserContext;
let page: Page;
/** Console errors and page errors of the signed-in page (hydration problems show up here). */
const problems: string[] = [];

const two = (n: number) => String(n).padStart(2, '0');
/** "2026-12-05 04:41" for an instant in a fixed-offset zone (New York in December: -5 h), done by hand. */
function wallTime(iso: string, offsetHours: number): string {
	const d = new Date(Date.parse(iso) + offsetHours * 3_600_000);
	return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

beforeAll(async () => {
	s = await startLiveServer({ CX_TICK_MS: '250' });
	browser = await launchBrowser();
	ny = await browser.newContext({ timezoneId: 'America/New_York', viewport: { width: 1440, height: 900 } });
	page = await ny.newPage();
	page.on('console', (m) => {
		if (m.type() === 'error' || /hydrat/i.test(m.text())) problems.push(m.text());
	});
	page.on('pageerror', (e) => problems.push(e.message));
	await page.goto(`${s.server.url}/login`, { waitUntil: 'networkidle' });
	await page.fill('input[name="username"]', 'admin');
	await page.fill('input[name="password"]', s.server.adminPassword()!);
	await Promise.all([page.waitForURL(`${s.server.url}/`), page.click('button[type="submit"]')]);

	// A customer with a summer and a winter event, then enough bad news now for a work item to open.
	const now = Date.now();
	const r = await postEvents(s, [
		anEvent().withCustomer('tz-1').withType('purchase').withValue(40).at('2026-07-04T15:30:00.000Z').build(),
		anEvent().withCustomer('tz-1').withType('visit').at('2026-12-01T15:30:00.000Z').build(),
		anEvent().withCustomer('tz-1').withType('complaint').at(new Date(now - 7_200_000)).build(),
		anEvent().withCustomer('tz-1').withType('complaint').at(new Date(now - 3_600_000)).build(),
		anEvent().withCustomer('tz-1').withType('survey_nps').withRating(1).at(new Date(now - 1_800_000)).build(),
		anEvent().withCustomer('tz-1').withType('survey_csat').withRating(1).at(new Date(now - 600_000)).build()
	]);
	expect(r.status).toBe(200);
});

afterAll(async () => {
	await browser?.close();
	await s?.stop();
});

async function itemCreatedAt(): Promise<string> {
	for (let i = 0; i < 80; i++) {
		const r = await fetch(`${s.server.url}/api/v1/workitems?state=open,claimed,snoozed`, { headers: { authorization: `Bearer ${s.analystKey}` } });
		const item = ((await r.json()) as { items: { customer_id: string; created_at: string }[] }).items.find((x) => x.customer_id === 'tz-1');
		if (item) return item.created_at;
		await new Promise((ok) => setTimeout(ok, 250));
	}
	throw new Error('no work item opened for tz-1');
}

describe('times in the viewer’s zone', () => {
	it('the server renders the customer page in the browser’s zone once told it, EDT in summer and EST in winter', async () => {
		// The sign-in page's script has reported the zone: the server's own render of the page says EDT/EST.
		expect((await ny.cookies()).find((c) => c.name === 'cx_tz')?.value).toBe(encodeURIComponent('America/New_York'));
		const html = await (await page.request.get(`${s.server.url}/customers/tz-1`)).text();
		expect(html).toContain('2026-07-04 11:30 EDT');
		expect(html).not.toContain('2026-07-04 15:30 UTC');

		await page.goto(`${s.server.url}/customers/tz-1`, { waitUntil: 'networkidle' });
		await page.getByTestId('journey-events').locator('summary').click();
		const list = page.getByTestId('journey-events');
		expect(await list.locator('th').first().textContent()).toBe('When (America/New_York)');
		expect(await list.textContent()).toContain('2026-12-01 10:30 EST');
		expect(await list.textContent()).toContain('2026-07-04 11:30 EDT');
		expect(problems).toEqual([]);
	});

	it('the work list says how long ago an item opened, and when, in New York time', async () => {
		const created = await itemCreatedAt();
		await page.goto(`${s.server.url}/alerts`, { waitUntil: 'networkidle' });
		const row = page.locator('tr[data-item-id]', { hasText: 'tz-1' });
		await row.waitFor({ timeout: 20_000 });
		const opened = row.locator('td').nth(5);
		const absolute = `${wallTime(created, -5)} EST`;
		expect(await opened.locator('.sub').textContent()).toBe(absolute);
		expect(await opened.locator('time').getAttribute('datetime')).toBe(created);
		expect(await opened.locator('time').textContent()).toMatch(/^\d+ (s|min) ago$/);
		expect(await row.getAttribute('aria-label')).toMatch(new RegExp(`opened \\d+ (s|min) ago, ${absolute}$`));
		// The relative text moves on with the page's clock, without a reload.
		const before = await opened.locator('time').textContent();
		await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
		if (/ s ago$/.test(before ?? '')) {
			await page.waitForFunction((b) => document.querySelector('tr[data-item-id] td:nth-child(6) time')?.textContent !== b, before, { timeout: 5000 });
		}
		expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
		await page.screenshot({ path: join(ARTIFACTS, 'time-zones-worklist.png') });
		expect(problems).toEqual([]);
	});

	it('a silence typed at a time New York’s clock skips is said at the field before saving, and saved as that time', async () => {
		await page.goto(`${s.server.url}/alerts`, { waitUntil: 'networkidle' });
		await page.getByRole('button', { name: 'New silence' }).click();
		const dialog = page.getByRole('dialog');
		await dialog.getByLabel('Kind').selectOption('metric');
		await dialog.getByRole('radio', { name: /^at \(America\/New_York\)/ }).check();
		const start = dialog.getByLabel('Start time (America/New_York)');
		const note = dialog.getByTestId('silence-start-note');
		await start.fill('2027-03-14T12:00');
		expect(await note.textContent()).toBe('');
		// The hour the clocks go back: two instants, the first is used.
		await start.fill('2027-11-07T01:30');
		expect(await note.textContent()).toBe(
			'01:30 happens twice on 7 Nov 2027 in America/New_York (clocks go back); the silence starts at the first, 01:30 EDT, not at 01:30 EST'
		);
		await start.fill('2027-03-14T02:30');
		const skipped = '02:30 does not exist on 14 Mar 2027 in America/New_York (clocks go forward); the silence starts at 03:30 EDT';
		expect(await note.textContent()).toBe(skipped);
		// Read out with the field, not only shown.
		expect(await start.getAttribute('aria-describedby')).toBe('silence-note-starts_at');
		await dialog.getByRole('button', { name: 'Create silence' }).click();
		await dialog.waitFor({ state: 'detached' });
		const row = page.locator('section.silences tbody tr', { hasText: 'all metric alerts' }).first();
		await row.waitFor();
		expect(await row.locator('td').nth(2).textContent()).toBe('2027-03-14 03:30 EDT');
		expect(problems).toEqual([]);
	});

	it('choosing UTC on the Account page moves every page to UTC, for this user', async () => {
		const created = await itemCreatedAt();
		await page.goto(`${s.server.url}/account`, { waitUntil: 'networkidle' });
		const select = page.getByLabel('Show times in');
		expect(await select.locator('option').first().textContent()).toBe('Browser’s time zone (currently America/New_York)');
		const violations = await runAxe(page, { tags: BEST_PRACTICE_TAGS });
		expect(violations.length, `axe on /account:\n${formatViolations(violations)}`).toBe(0);
		await select.selectOption('UTC');
		await page.getByRole('button', { name: 'Save time zone' }).click();
		await page.getByRole('status').filter({ hasText: 'Saved: times are shown in UTC.' }).waitFor({ timeout: 5000 });
		await page.screenshot({ path: join(ARTIFACTS, 'time-zones-account.png'), fullPage: true });
		// Focus stays on the button that saved (it did not drop to <body>).
		expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Save time zone');
		expect(await page.locator('#tz-now').textContent()).toMatch(/^Now: \d{4}-\d\d-\d\d \d\d:\d\d UTC \(shown in UTC\)\.$/);

		await page.goto(`${s.server.url}/alerts`, { waitUntil: 'networkidle' });
		const row = page.locator('tr[data-item-id]', { hasText: 'tz-1' });
		await row.waitFor();
		expect(await row.locator('td').nth(5).locator('.sub').textContent()).toBe(`${wallTime(created, 0)} UTC`);
		const html = await (await page.request.get(`${s.server.url}/customers/tz-1`)).text();
		expect(html).toContain('2026-07-04 15:30 UTC');

		// Back to the browser's zone.
		await page.goto(`${s.server.url}/account`, { waitUntil: 'networkidle' });
		await page.getByLabel('Show times in').selectOption('');
		await page.getByRole('button', { name: 'Save time zone' }).click();
		await page.getByRole('status').filter({ hasText: 'Saved: times are shown in America/New_York (this browser’s zone).' }).waitFor({ timeout: 5000 });
		expect(problems).toEqual([]);
	});

	it('a wall shows the browser’s zone, ?tz= overrides it, and a wrong ?tz= says so on the wall', async () => {
		const wall = await ny.newPage();
		const token = encodeURIComponent(s.displayToken);
		const updated = wall.locator('[data-live-state="open"] time');

		await wall.goto(`${s.server.url}/wall/main?token=${token}`);
		await updated.waitFor({ timeout: 15_000 });
		expect(await updated.textContent()).toMatch(/^\d\d:\d\d:\d\d EST$/);

		await wall.goto(`${s.server.url}/wall/main?token=${token}&tz=Asia/Tokyo`);
		await updated.waitFor({ timeout: 15_000 });
		// Both read at once: a tiles frame between two reads moves the time on (fresh-check 2026-12-07 23:41
		// read 08:35:03 from the attribute and 08:35:04 from the text).
		const shown = await updated.evaluate((t) => ({ at: t.getAttribute('datetime')!, text: t.textContent }));
		const tokyo = new Date(Date.parse(shown.at) + 9 * 3_600_000).toISOString().slice(11, 19);
		expect(shown.text).toBe(`${tokyo} UTC+9`);
		expect(await wall.getByTestId('wall-tz-error').count()).toBe(0);
		await wall.screenshot({ path: join(ARTIFACTS, 'time-zones-wall-tokyo.png') });

		await wall.goto(`${s.server.url}/wall/main?token=${token}&tz=Mars/Olympus_Mons`);
		await updated.waitFor({ timeout: 15_000 });
		expect(await wall.getByTestId('wall-tz-error').textContent()).toContain('tz=Mars/Olympus_Mons is not a time zone');
		expect(await wall.getByTestId('wall-tz-error').textContent()).toContain('Showing times in America/New_York.');
		expect(await updated.textContent()).toMatch(/^\d\d:\d\d:\d\d EST$/);
		await wall.close();
	});
});
