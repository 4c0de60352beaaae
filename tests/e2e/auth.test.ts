// Signing in with real Chromium: users created through the CLI and through Settings see the shell with their
// name and role-specific navigation; an executive meets a 403 page on /settings.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { ARTIFACTS, launchBrowser } from '../helpers/browser';
import { ROOT, startServer, type TestServer } from '../helpers/server';
import { aUser } from '../fixtures/users';

const nora = aUser().withName('nora').withRole('retention').build();
const ed = aUser().withName('ed').withRole('executive').build();
const root = aUser().withName('root').withRole('admin').build();
const pat = aUser().withName('pat').withRole('analyst').build();

let server: TestServer;
let browser: Browser;

function addUserWithCli(dbPath: string, u: { username: string; role: string; password: string }): void {
	const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'users', 'add', u.username, '--role', u.role, '--db', dbPath], {
		cwd: ROOT,
		encoding: 'utf8',
		input: `${u.password}\n`
	});
	if (r.status !== 0) throw new Error(`users add ${u.username} failed: ${r.stderr}`);
}

async function signIn(page: Page, username: string, password: string, path = '/'): Promise<void> {
	await page.goto(`${server.url}${path}`);
	await page.waitForURL(/\/login/);
	await page.getByLabel('Username').fill(username);
	await page.getByLabel('Password').fill(password);
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
	if (new URL(page.url()).pathname === '/login') throw new Error(`sign-in as ${username} failed: ${await page.getByRole('alert').textContent()}`);
}

beforeAll(async () => {
	const dir = mkdtempSync(join(tmpdir(), 'cx-e2e-auth-'));
	const dbPath = join(dir, 'cx.duckdb');
	for (const u of [nora, ed, root, pat]) addUserWithCli(dbPath, u);
	server = await startServer({ dir });
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

describe('signing in', () => {
	it('keeps what was typed before the login page finished loading its scripts', async () => {
		const ctx = await browser.newContext();
		const page = await ctx.newPage();
		try {
			// Hold the app's scripts back so typing certainly happens before hydration (a slow connection).
			let release!: () => void;
			const held = new Promise<void>((r) => (release = r));
			await page.route('**/_app/immutable/**/*.js', async (route) => {
				await held;
				await route.continue();
			});
			await page.goto(`${server.url}/login`, { waitUntil: 'domcontentloaded' });
			await page.getByLabel('Username').fill(nora.username);
			await page.getByLabel('Password').fill(nora.password);
			release();
			await page.waitForLoadState('networkidle');
			expect(await page.getByLabel('Username').inputValue()).toBe(nora.username);
			await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.getByRole('button', { name: 'Sign in' }).click()]);
		} finally {
			await ctx.close();
		}
	});

	it('a user created with the CLI signs in and sees the shell with their name and allowed navigation', async () => {
		const ctx = await browser.newContext();
		const page = await ctx.newPage();
		try {
			await page.goto(`${server.url}/login`);
			await page.getByLabel('Username').fill('nora');
			await page.getByLabel('Password').fill('definitely-wrong');
			await page.getByRole('button', { name: 'Sign in' }).click();
			await expect.poll(() => page.getByRole('alert').textContent()).toContain('wrong username or password');

			await signIn(page, nora.username, nora.password);
			const header = page.locator('header.shell');
			await expect.poll(() => header.getByTestId('signed-in-user').textContent()).toContain('nora');
			expect(await header.textContent()).toContain('cx-command');
			expect(await header.textContent()).toContain('retention');
			const nav = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
			expect(nav).toEqual(['Overview', 'Alerts', 'Customers', 'Walls']);
			await page.screenshot({ path: join(ARTIFACTS, 'auth-shell.png') });

			await Promise.all([page.waitForURL(/\/login$/), page.getByRole('button', { name: 'Sign out' }).click()]);
			await page.goto(`${server.url}/alerts`);
			expect(new URL(page.url()).pathname).toBe('/login');
		} finally {
			await ctx.close();
		}
	});

	it('an executive gets a 403 page on /settings and no Settings link; Walls lists the boards they may open', async () => {
		const ctx = await browser.newContext();
		const page = await ctx.newPage();
		try {
			await signIn(page, ed.username, ed.password);
			const nav = page.getByRole('navigation', { name: 'Main' });
			expect(await nav.getByRole('link').allTextContents()).toEqual(['Overview', 'Walls']);
			await Promise.all([page.waitForURL((u) => u.pathname === '/walls'), nav.getByRole('link', { name: 'Walls' }).click()]);
			expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Wall boards');
			const main = page.locator('tr[data-board="main"]').getByRole('link');
			expect(await main.getAttribute('href')).toBe('/wall/main');
			expect(await page.locator('tr[data-board]').count()).toBeGreaterThanOrEqual(3);
			const [wall] = await Promise.all([ctx.waitForEvent('page'), main.click()]);
			await wall.locator('[data-metric]').first().waitFor({ timeout: 15_000 });
			await wall.close();
			const r = await page.goto(`${server.url}/settings`);
			expect(r?.status()).toBe(403);
			expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('403');
			expect(await page.textContent('body')).toContain('Settings are for administrators only.');
		} finally {
			await ctx.close();
		}
	});

	it('an admin adds a user in Settings; the password shown once lets that user sign in', async () => {
		const adminCtx = await browser.newContext();
		const admin = await adminCtx.newPage();
		let password: string;
		try {
			await signIn(admin, root.username, root.password, '/settings');
			expect(new URL(admin.url()).pathname).toBe('/settings');
			const form = admin.locator('form[action="?/addUser"]');
			await form.getByLabel('Username').fill('sam');
			await form.getByLabel('Role').selectOption('analyst');
			await form.getByRole('button', { name: 'Add user' }).click();
			const secret = admin.getByTestId('secret-value');
			await secret.waitFor();
			password = (await secret.textContent())!.trim();
			expect(password).toMatch(/^[a-z2-7]{32}$/);
			expect(await admin.locator('table').first().textContent()).toContain('sam');
		} finally {
			await adminCtx.close();
		}
		const samCtx = await browser.newContext();
		const sam = await samCtx.newPage();
		try {
			await signIn(sam, 'sam', password);
			expect(await sam.getByTestId('signed-in-user').textContent()).toContain('sam');
			expect(await sam.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['Overview', 'Alerts', 'Customers', 'Models', 'Walls']);
		} finally {
			await samCtx.close();
		}
	});

	it('signed out in another tab: this tab stops showing the user menu and offers "Sign in again" back to this page', async () => {
		const ctx = await browser.newContext();
		const here = await ctx.newPage();
		try {
			await signIn(here, nora.username, nora.password, '/?window=24h');
			await here.locator('[data-live-state="open"]').waitFor({ timeout: 15_000 });
			const there = await ctx.newPage();
			await there.goto(`${server.url}/`);
			await Promise.all([there.waitForURL(/\/login$/), there.getByRole('button', { name: 'Sign out' }).click()]);
			const header = here.locator('header.shell');
			const again = header.getByRole('link', { name: 'Sign in again' });
			await again.waitFor({ timeout: 20_000 });
			expect(await again.getAttribute('href')).toBe('/login?next=%2F%3Fwindow%3D24h');
			expect(await header.getByTestId('signed-out').textContent()).toBe('Signed out');
			expect(await header.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
			expect(await header.getByTestId('signed-in-user').count()).toBe(0);
			// The live status line says why and offers the same way back.
			expect(await here.locator('[data-live-state="unauthorized"]').textContent()).toContain('you are signed out');
			await here.screenshot({ path: join(ARTIFACTS, 'auth-signed-out-elsewhere.png') });
			await Promise.all([here.waitForURL(/\/login\?next=/), again.click()]);
			await here.getByLabel('Username').fill(nora.username);
			await here.getByLabel('Password').fill(nora.password);
			await Promise.all([here.waitForURL((u) => u.pathname === '/' && u.search === '?window=24h'), here.getByRole('button', { name: 'Sign in' }).click()]);
			expect(await here.getByTestId('signed-in-user').textContent()).toContain('nora');
		} finally {
			await ctx.close();
		}
	});

	it('/logout typed in the address bar asks "Sign out?" and signs out only when its button is pressed', async () => {
		const ctx = await browser.newContext();
		const page = await ctx.newPage();
		try {
			await signIn(page, nora.username, nora.password);
			const r = await page.goto(`${server.url}/logout`);
			expect(r?.status()).toBe(200);
			expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign out?');
			expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Sign out');
			// Cancel: still signed in.
			await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.getByRole('link', { name: /Cancel/ }).click()]);
			expect(await page.getByTestId('signed-in-user').textContent()).toContain('nora');
			await page.goto(`${server.url}/logout`);
			await Promise.all([page.waitForURL(/\/login$/), page.getByRole('button', { name: 'Sign out' }).click()]);
			await page.goto(`${server.url}/alerts`);
			expect(new URL(page.url()).pathname).toBe('/login');
		} finally {
			await ctx.close();
		}
	});
});

describe('your account', () => {
	it('Change password: each error puts the keyboard on the field at fault, tied to its message; success on the message', async () => {
		const ctx = await browser.newContext();
		const page = await ctx.newPage();
		const active = () =>
			page.evaluate(() => {
				const a = document.activeElement;
				const described = a?.getAttribute('aria-describedby');
				return {
					name: a?.getAttribute('name') ?? a?.tagName.toLowerCase(),
					invalid: a?.getAttribute('aria-invalid') ?? null,
					error: described ? (document.getElementById(described)?.textContent?.trim() ?? null) : null
				};
			});
		try {
			await signIn(page, pat.username, pat.password, '/account');
			const form = page.locator('form[action="?/changePassword"]');
			const fill = async (current: string, next: string, confirm: string) => {
				await form.getByLabel('Current password').fill(current);
				await form.getByLabel(/^New password \(/).fill(next);
				await form.getByLabel('New password again').fill(confirm);
				await form.getByRole('button', { name: 'Change password' }).click();
			};
			await fill('not-my-password', 'a-new-password-123', 'a-new-password-123');
			await expect.poll(active).toEqual({ name: 'current', invalid: 'true', error: 'The current password is not right' });
			expect(await form.getByRole('alert').textContent()).toContain('1 field needs attention');
			// What was typed stays (only a success empties the form).
			expect(await form.getByLabel('New password again').inputValue()).toBe('a-new-password-123');
			await fill(pat.password, 'a-new-password-123', 'a-new-password-124');
			await expect.poll(active).toEqual({ name: 'confirm', invalid: 'true', error: 'The two new passwords differ' });
			await fill(pat.password, 'a-new-password-123', 'a-new-password-123');
			await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('status');
			expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toMatch(/^✓ Password changed\./);
			expect(await form.getByLabel('Current password').inputValue()).toBe('');
			expect(await form.locator('[aria-invalid="true"]').count()).toBe(0);
		} finally {
			await ctx.close();
		}
	});
});
