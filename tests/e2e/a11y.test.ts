// Accessibility of every page against a small demo world: zero axe-core violations (WCAG 2.0/2.1 A
// and AA plus axe's best practices such as landmarks and heading order, all impacts; no rule is
// disabled), every interactive element reachable with Tab, named and visibly focused, every chart an
// image with a text summary, and states that are coloured (tiles, work items) also said in text.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { createDisplayToken } from '../../src/lib/server/auth/display-tokens';
import { createUser } from '../../src/lib/server/auth/users';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { seedDemoHistory } from '../../src/lib/server/demo';
import { ARTIFACTS, launchBrowser } from '../helpers/browser';
import { BEST_PRACTICE_TAGS, formatViolations, runAxe } from '../helpers/axe';
import { tabThrough, unnamedCharts } from '../helpers/keyboard';
import { ROOT, startServer, type TestServer } from '../helpers/server';
import { anEvent } from '../fixtures/events';
import { aModelVersion } from '../fixtures/model-registry';

const ADMIN = { username: 'ada', password: 'admin-pass-a11y-1234' };
const EXEC = { username: 'eve', password: 'exec-pass-a11y-1234' };

let server: TestServer;
let browser: Browser;
let admin: BrowserContext;
let dir: string;
let ingestKey = '';
let displayToken = '';
let customerId = '';

async function signIn(who: { username: string; password: string }): Promise<BrowserContext> {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await ctx.newPage();
	await page.goto(`${server.url}/login`);
	await page.fill('input[name="username"]', who.username);
	await page.fill('input[name="password"]', who.password);
	try {
		// Generous: argon2 verification is slow on a loaded 2-core CI machine.
		await Promise.all([
			page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 60_000 }),
			page.click('button[type="submit"]')
		]);
	} catch (e) {
		throw new Error(
			`signing in as ${who.username}: ${String(e)}\nserver output:\n${server.output().slice(-3000)}`
		);
	}
	await page.close();
	return ctx;
}

/** A challenger whose metadata holds validation curves, so the Models page draws its four charts. */
function addChallengerWithCurves(modelsDir: string): void {
	const v = {
		...aModelVersion('v0002').withAuc(0.84).build(),
		curves: {
			roc: [
				{ fpr: 0, tpr: 0 },
				{ fpr: 0.1, tpr: 0.55 },
				{ fpr: 0.3, tpr: 0.8 },
				{ fpr: 1, tpr: 1 }
			],
			pr: [
				{ recall: 0, precision: 1 },
				{ recall: 0.5, precision: 0.7 },
				{ recall: 1, precision: 0.3 }
			],
			reliability: [
				{ lo: 0, hi: 0.5, n: 60, mean_predicted: 0.2, fraction_positive: 0.18 },
				{ lo: 0.5, hi: 1, n: 40, mean_predicted: 0.7, fraction_positive: 0.66 }
			],
			lift: [
				{ fraction: 0.1, lift: 2.6 },
				{ fraction: 0.5, lift: 1.6 },
				{ fraction: 1, lift: 1 }
			]
		}
	};
	mkdirSync(join(modelsDir, v.version));
	writeFileSync(join(modelsDir, v.version, 'metadata.json'), JSON.stringify(v, null, 2));
	const manifestPath = join(modelsDir, 'manifest.json');
	const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { history: unknown[] };
	manifest.history.push({ action: 'save', version: v.version, by: v.created_by, at: v.created_at });
	writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-e2e-a11y-'));
	const dbPath = join(dir, 'cx.duckdb');
	// A copy of the committed registry, so the Models page has a champion with curves and the server never
	// writes into the repository's models/ folder.
	const modelsDir = join(dir, 'models');
	cpSync(join(ROOT, 'models', 'churn'), modelsDir, { recursive: true });
	addChallengerWithCurves(modelsDir);
	const db = await getDb(dbPath);
	try {
		const seeded = await seedDemoHistory(db, { customers: 40, days: 21, seed: 7 });
		if (!seeded.ok) throw new Error(seeded.error);
		const a = await createUser(db, { ...ADMIN, role: 'admin' });
		const e = await createUser(db, { ...EXEC, role: 'executive' });
		const k = await createApiKey(db, { scope: 'ingest', createdBy: 'test' });
		const d = await createDisplayToken(db, { board: 'main', createdBy: 'test' });
		if (!a.ok || !e.ok || !k.ok || !d.ok) throw new Error('could not create test credentials');
		ingestKey = k.value.token;
		displayToken = d.value.token;
		const busiest = await db.one<{ customer_id: string }>(
			'SELECT customer_id FROM events GROUP BY customer_id ORDER BY count(*) DESC, customer_id LIMIT 1'
		);
		customerId = busiest!.customer_id;
	} finally {
		await shutdownDb(dbPath);
	}
	server = await startServer({ dir, env: { CX_TICK_MS: '250', CX_MODELS_DIR: modelsDir } });
	// An unhappy customer whose debt crosses the tolerance limit, so the work list has an open item.
	const now = Date.now();
	const unhappy = [
		anEvent()
			.withCustomer('a11y-unhappy')
			.withType('complaint')
			.at(new Date(now - 7200_000))
			.build(),
		anEvent()
			.withCustomer('a11y-unhappy')
			.withType('complaint')
			.at(new Date(now - 3600_000))
			.build(),
		anEvent()
			.withCustomer('a11y-unhappy')
			.withType('survey_nps')
			.withRating(1)
			.at(new Date(now - 1800_000))
			.build(),
		anEvent()
			.withCustomer('a11y-unhappy')
			.withType('survey_csat')
			.withRating(1)
			.at(new Date(now - 600_000))
			.build(),
		// Enough complaints in the last hours that the 24 h complaint rate is judged (at least 10 interactions)
		// and past its threshold whatever the hour: the 40-customer world alone may leave every tile unjudged.
		...Array.from({ length: 12 }, (_, i) =>
			anEvent()
				.withCustomer('a11y-unhappy')
				.withType('complaint')
				.at(new Date(now - 5400_000 + i * 60_000))
				.build()
		)
	];
	const posted = await fetch(`${server.url}/api/v1/events`, {
		method: 'POST',
		headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
		body: JSON.stringify(unhappy)
	});
	if (posted.status !== 200)
		throw new Error(
			`posting events: ${posted.status} ${await posted.text()}\n${server.output().slice(-3000)}`
		);
	browser = await launchBrowser();
	admin = await signIn(ADMIN);
});

afterAll(async () => {
	await browser?.close();
	await server?.stop({ keepDir: true });
	if (dir) rmSync(dir, { recursive: true, force: true });
});

/** axe, charts and keyboard on the page as it is now; `within` narrows the keyboard check (an open dialog). */
async function checkPage(page: Page, name: string, within = 'body'): Promise<void> {
	await page.screenshot({ path: join(ARTIFACTS, `a11y-${name}.png`), fullPage: true });
	const violations = await runAxe(page, { tags: BEST_PRACTICE_TAGS });
	expect(violations.length, `axe on ${name}:\n${formatViolations(violations)}`).toBe(0);
	expect(await unnamedCharts(page, within), `${name}: charts without role="img" and a name`).toEqual([]);
	const kb = await tabThrough(page, within);
	expect(kb.total, `${name} has interactive elements`).toBeGreaterThan(0);
	expect(kb.unreached, `${name}: not reachable with Tab`).toEqual([]);
	expect(kb.unnamed, `${name}: no accessible name`).toEqual([]);
	expect(kb.noFocusIndicator, `${name}: no visible focus indicator`).toEqual([]);
	// Screen-reader-only text stays out of sight (a component without the class's style once showed
	// "Save tolerance for *" on its buttons).
	const shown = await page.locator(`${within} .sr-only`).evaluateAll((els) =>
		els.filter((e) => getComputedStyle(e).position !== 'absolute' || !getComputedStyle(e).clip.startsWith('rect(0px')).map((e) => e.textContent)
	);
	expect(shown, `${name}: .sr-only text visible`).toEqual([]);
}

/** Opens a page of the signed-in app and waits until its live stream (if any) is connected. */
async function open(path: string, ready: string): Promise<Page> {
	const page = await admin.newPage();
	const resp = await page.goto(`${server.url}${path}`);
	expect(resp?.status(), `${path}\nserver output (tail):\n${server.output().slice(-3000)}`).toBe(200);
	await page.locator(ready).first().waitFor({ timeout: 20_000 });
	return page;
}

/**
 * Every tile names its state in text (badge and accessible name), not only through its colour; a tile of a
 * metric without thresholds (tone neutral) has no verdict, so it names none and claims no "OK".
 */
async function expectTileStatesInText(page: Page): Promise<string[]> {
	const tiles = await page.locator('[data-metric][data-state]').evaluateAll((els) =>
		els.map((el) => ({
			metric: el.getAttribute('data-metric') ?? '',
			state: el.getAttribute('data-state') ?? '',
			tone: el.getAttribute('data-tone') ?? '',
			text: (el as HTMLElement).innerText,
			label: el.getAttribute('aria-label') ?? ''
		}))
	);
	expect(tiles.length).toBeGreaterThan(0);
	const words: Record<string, string> = {
		ok: 'OK',
		warn: 'Warning',
		critical: 'Critical',
		nodata: 'No data',
		unjudged: 'Not judged'
	};
	for (const t of tiles) {
		// A value the thresholds do not judge says why in words (too few to judge, thresholds set for 30 d).
		if (t.state === 'unjudged') expect(t.text, t.metric).toMatch(/too few to judge \(.+; \d+ needed\)|thresholds are set for /);
		if (t.tone === 'neutral') {
			expect(t.state, t.metric).toBe('ok');
			expect(t.text, t.metric).not.toMatch(/\bOK\b/);
			expect(t.label, t.metric).not.toMatch(/\bOK\b/);
			continue;
		}
		expect(words[t.state], `unknown tile state ${t.state}`).toBeDefined();
		expect(t.text).toContain(words[t.state]);
		expect(t.label).toContain(words[t.state]);
	}
	// Metrics without thresholds: the API says ok, the tile gives no verdict ("At-risk customers OK 309").
	for (const t of tiles.filter((t) => ['active_customers', 'at_risk_customers', 'at_risk_revenue'].includes(t.metric)))
		if (t.state === 'ok') expect(t.tone, t.metric).toBe('neutral');
	return tiles.map((t) => t.state);
}

describe('accessibility', () => {
	it('login page', async () => {
		const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		const page = await ctx.newPage();
		await page.goto(`${server.url}/login`);
		await checkPage(page, 'login');
		// A failed sign-in explains itself in text announced as an alert.
		await page.fill('input[name="username"]', 'nobody');
		await page.fill('input[name="password"]', 'wrong-password-123');
		await page.click('button[type="submit"]');
		await page.getByRole('alert').waitFor();
		await checkPage(page, 'login-error');
		await ctx.close();
	});

	it('overview', async () => {
		const page = await open('/', '[data-live-state="open"]');
		// The first Tab stop skips the header: after it, Tab continues inside <main>.
		await page.keyboard.press('Tab');
		expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
		await page.keyboard.press('Enter');
		await page.keyboard.press('Tab');
		expect(await page.evaluate(() => !!document.activeElement?.closest('main'))).toBe(true);
		// The live status is announced when its state changes, not at every new timestamp.
		expect(
			await page.locator('[role="status"][data-live-state="open"] [aria-live="off"]').innerText()
		).toMatch(/updated \d\d:\d\d:\d\d UTC/);
		const states = await expectTileStatesInText(page);
		expect(
			states.some((s) => s !== 'nodata'),
			'the demo world gives tiles values'
		).toBe(true);
		// A small, noisy demo world always has tiles past a threshold; without one this check proves nothing.
		expect(
			states.some((s) => s === 'warn' || s === 'critical'),
			'some tile is in warning or critical'
		).toBe(true);
		// A tile's link names its change as well as its value and state.
		const changed = page.locator('a[data-metric][aria-label*="vs previous window"]');
		expect(await changed.count()).toBeGreaterThan(0);
		await checkPage(page, 'overview');
		await page.close();
	});

	it('metric detail', async () => {
		const page = await open('/metrics/csat', 'h1');
		// The chart's name carries what it shows, in words.
		await expect(
			page.getByRole('img', { name: /CSAT over the window: \d+ points .*latest .*lowest .*highest/ }).count()
		).resolves.toBe(1);
		await checkPage(page, 'metric');
		await page.close();
	});

	it('work list', async () => {
		const page = await open('/alerts', '[data-live-state="open"]');
		const row = page.locator('tr[data-item-id]', { hasText: 'a11y-unhappy' });
		await row.waitFor({ timeout: 20_000 });
		// Each item's state is written out (with an icon), not only coloured.
		for (const r of await page.locator('tr[data-item-id]').all()) {
			const state = (await r.getAttribute('data-state')) ?? '';
			expect(state).not.toBe('');
			expect(await r.locator('td').nth(3).innerText()).toContain(state);
		}
		await checkPage(page, 'alerts');

		// The resolve dialog (keyboard shortcut r): named, every control reachable inside it, Escape closes it.
		await page.locator('body').click({ position: { x: 1, y: 1 } });
		await page.keyboard.press('r');
		await page.getByRole('dialog').waitFor();
		await checkPage(page, 'alerts-resolve-dialog', 'dialog');
		await page.keyboard.press('Escape');
		await page.locator('dialog').waitFor({ state: 'detached' }); // the element: see worklist.test.ts

		// The note dialog (n): named, its box labelled and described, Escape closes it.
		await page.keyboard.press('n');
		await page.getByRole('dialog', { name: /Add a note for/ }).waitFor();
		await checkPage(page, 'alerts-note-dialog', 'dialog');
		await page.keyboard.press('Escape');
		await page.locator('dialog').waitFor({ state: 'detached' }); // the element: see worklist.test.ts

		// The rule editor, opened from its button: on Escape, focus goes back to that button.
		const newRule = page.getByRole('button', { name: 'New rule' });
		await newRule.focus();
		await page.keyboard.press('Enter');
		await page.getByRole('dialog', { name: 'New alert rule' }).waitFor();
		await checkPage(page, 'alerts-rule-editor', 'dialog');
		await page.keyboard.press('Escape');
		await page.locator('dialog').waitFor({ state: 'detached' }); // the element: see worklist.test.ts
		expect(await newRule.evaluate((b) => b === document.activeElement)).toBe(true);

		// The silence form: every control labelled, Escape closes it.
		await page.getByRole('button', { name: 'New silence' }).click();
		await page.getByRole('dialog', { name: 'New silence' }).waitFor();
		await checkPage(page, 'alerts-silence-form', 'dialog');
		await page.keyboard.press('Escape');
		await page.locator('dialog').waitFor({ state: 'detached' }); // the element: see worklist.test.ts
		await page.close();
	});

	it('customers list and a customer', async () => {
		const list = await open('/customers', 'h1');
		await checkPage(list, 'customers');
		await list.close();
		const page = await open(`/customers/${encodeURIComponent(customerId)}`, 'h1');
		await expect(
			page
				.getByRole('img', { name: /^Experience debt .*: now [\d.]+ pts, highest [\d.]+ pts on \d{4}-/ })
				.count()
		).resolves.toBe(1);
		await expect(
			page
				.getByRole('img', { name: /^Journey timeline: \d+ events .* from \d{4}-\d\d-\d\d to \d{4}-/ })
				.count()
		).resolves.toBe(1);
		await checkPage(page, 'customer');
		await page.close();
	});

	it('models', async () => {
		const page = await open('/models', 'h1');
		await checkPage(page, 'models');

		// The challenger's curves: four charts, each an image named by its caption and described in words.
		await page.getByRole('button', { name: 'v0002' }).click();
		await expect(page.getByRole('img', { name: 'ROC curve' }).count()).resolves.toBe(1);
		expect(await page.locator('figure svg[role="img"]').count()).toBe(4);
		await checkPage(page, 'models-curves');

		// Promoting asks first, in a dialog; Cancel leaves the champion alone and focus back on the button.
		const promote = page.getByRole('button', { name: 'Promote…' });
		await promote.focus();
		await page.keyboard.press('Enter');
		const dialog = page.getByRole('dialog');
		await dialog.waitFor();
		await checkPage(page, 'models-promote-dialog', 'dialog');
		await dialog.getByRole('button', { name: 'Cancel' }).focus();
		await page.keyboard.press('Enter');
		await dialog.waitFor({ state: 'detached' });
		expect(await promote.evaluate((b) => b === document.activeElement)).toBe(true);
		await page.close();
	});

	it('settings', async () => {
		const page = await open('/settings', 'h1');
		await checkPage(page, 'settings');

		// A new user's generated password, shown once.
		const add = page.locator('form[action="?/addUser"]');
		await add.getByLabel('Username').fill('newbie');
		await Promise.all([page.waitForURL(/\/settings/), add.getByRole('button', { name: 'Add user' }).click()]);
		await page.getByTestId('secret-value').waitFor();
		await checkPage(page, 'settings-secret');

		// The same name again: the error at the Username field, tied to it.
		await add.getByLabel('Username').fill('newbie');
		await add.getByRole('button', { name: 'Add user' }).click();
		await add.locator('#addUser-username-error').waitFor();
		expect(await add.getByLabel('Username').getAttribute('aria-describedby')).toBe('addUser-username-error');
		// The error under Username moves none of the row: the controls and the button stay level (the row was
		// aligned by its bottoms, so the error pushed Username up, out of line with Role and Password).
		const tops = await Promise.all(
			[add.getByLabel('Username'), add.getByLabel('Role'), add.getByLabel('Password'), add.getByRole('button', { name: 'Add user' })].map(
				async (l) => (await l.boundingBox())!.y
			)
		);
		for (const y of tops) expect(Math.abs(y - tops[0])).toBeLessThanOrEqual(1);
		await checkPage(page, 'settings-add-user-error');

		// Reset password asks in the app's own dialog: named, reachable, Escape answers No.
		await page.getByRole('button', { name: 'Reset password of newbie', exact: true }).click();
		await page.getByRole('dialog', { name: 'Give newbie a new random password?' }).waitFor();
		await checkPage(page, 'settings-confirm-dialog', 'dialog[open]');
		await page.keyboard.press('Escape');
		await page.locator('dialog').waitFor({ state: 'detached' });

		// A refused tolerance form: the error is text next to the field, tied to it by aria-describedby.
		const tolerance = page.locator('form.tolerance').first();
		await tolerance.getByLabel(/Tolerance limit/).fill('-5');
		await Promise.all([page.waitForURL(/\/settings/), tolerance.locator('button[type="submit"]').click()]);
		const invalid = page.locator('form.tolerance input[aria-invalid="true"]');
		await invalid.first().waitFor();
		const describedBy = await invalid.first().getAttribute('aria-describedby');
		expect(await page.locator(`[id="${describedBy}"]`).innerText()).toMatch(/limit must be more than 0/);
		await checkPage(page, 'settings-errors');

		// The wall-board form, refused: errors tied to their fields, the keyboard kept in the dialog.
		await page.getByRole('button', { name: 'New board' }).click();
		const dialog = page.getByRole('dialog', { name: 'New wall board' });
		await dialog.getByRole('button', { name: 'Create board' }).click();
		await dialog.getByRole('alert').waitFor();
		expect(await page.locator(`[id="${await dialog.getByLabel('Title').getAttribute('aria-describedby')}"]`).innerText()).toMatch(/Title must be 1–80/);
		await checkPage(page, 'settings-board-form', 'dialog[open]');
		await page.close();
	});

	it('walls list, sign-out question and account errors', async () => {
		const walls = await open('/walls', 'tr[data-board="main"]');
		await checkPage(walls, 'walls');
		await walls.close();
		const logout = await open('/logout', 'h1');
		await checkPage(logout, 'logout');
		await logout.close();
		const account = await open('/account', 'h1');
		const pw = account.locator('form[action="?/changePassword"]');
		await pw.getByLabel('Current password').fill('not-the-password');
		await pw.getByLabel(/^New password \(/).fill('another-password-1');
		await pw.getByLabel('New password again').fill('another-password-1');
		await pw.getByRole('button', { name: 'Change password' }).click();
		await account.locator('#pw-error').waitFor();
		await checkPage(account, 'account-errors');
		await account.close();
	});

	it('wall display', async () => {
		const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
		const page = await ctx.newPage();
		await page.goto(`${server.url}/wall/main?token=${encodeURIComponent(displayToken)}`);
		await page.locator('[data-live-state="open"]').waitFor({ timeout: 20_000 });
		await expectTileStatesInText(page);
		await page.screenshot({ path: join(ARTIFACTS, 'a11y-wall.png') });
		// Readable across the room: no text in the tiles below 16 px on a 1920 px screen.
		const small = await page.locator('[data-metric]').evaluateAll((tiles) =>
			tiles.flatMap((tile) =>
				[...tile.querySelectorAll('*')]
					.filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent?.trim()))
					.filter((el) => parseFloat(getComputedStyle(el).fontSize) < 16)
					.map(
						(el) =>
							`${tile.getAttribute('data-metric')}: "${el.textContent?.trim()}" ${getComputedStyle(el).fontSize}`
					)
			)
		);
		expect(small).toEqual([]);
		const violations = await runAxe(page, { tags: BEST_PRACTICE_TAGS });
		expect(violations.length, `axe on the wall:\n${formatViolations(violations)}`).toBe(0);
		await ctx.close();
	});

	it('not-found pages', async () => {
		for (const [path, name] of [
			['/customers/no-such-customer', 'customer-404'],
			['/no-such-page', '404']
		]) {
			const page = await admin.newPage();
			const resp = await page.goto(`${server.url}${path}`);
			expect(resp?.status(), path).toBe(404);
			await checkPage(page, name);
			expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('404');
			await page.close();
		}
		const page = await admin.newPage();
		await page.goto(`${server.url}/no-such-page`);
		expect(await page.locator('main').innerText()).toContain('There is no page at /no-such-page.');
		await page.close();
	});

	it('403 page', async () => {
		const ctx = await signIn(EXEC);
		const page = await ctx.newPage();
		const resp = await page.goto(`${server.url}/settings`);
		expect(resp?.status()).toBe(403);
		await checkPage(page, '403');
		await ctx.close();
	});
});

describe('the checks themselves', () => {
	it('catch an unreachable control, a nameless button, a missing focus ring and an unnamed chart', async () => {
		const page = await browser.newPage();
		await page.setContent(`<!doctype html><html lang="en"><head><title>t</title></head><body><main>
			<button id="ok">Fine</button>
			<button id="bare" style="outline: none"><svg width="8" height="8"><rect width="8" height="8"/></svg></button>
			<input id="trap" aria-label="trap" onkeydown="if (event.key === 'Tab') event.preventDefault()">
			<a id="after" href="#x">After the trap</a>
		</main></body></html>`);
		const kb = await tabThrough(page);
		expect(kb.total).toBe(4);
		expect(kb.unreached).toEqual([expect.stringContaining('#after')]);
		expect(kb.unnamed).toEqual([expect.stringContaining('#bare')]);
		expect(kb.noFocusIndicator).toEqual([expect.stringContaining('#bare')]);
		expect(await unnamedCharts(page)).toHaveLength(1);
		expect((await runAxe(page)).map((v) => v.id)).toContain('button-name');
		await page.close();
	});
});
