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
	for (const u of [nora, ed, root]) addUserWithCli(dbPath, u);
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
			expect(nav).toEqual(['Overview', 'Alerts', 'Customers']);
			await page.screenshot({ path: join(ARTIFACTS, 'auth-shell.png') });

			await Promise.all([page.waitForURL(/\/login$/), page.getByRole('button', { name: 'Sign out' }).click()]);
			await page.goto(`${server.url}/alerts`);
			expect(new URL(page.url()).pathname).toBe('/login');
		} finally {
			await ctx.close();
		}
	});

	it('an executive gets a 403 page on /settings and no Settings link', async () => {
		const ctx = await browser.newContext();
		const page = await ctx.newPage();
		try {
			await signIn(page, ed.username, ed.password);
			expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['Overview']);
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
			expect(await sam.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual(['Overview', 'Alerts', 'Customers', 'Models']);
		} finally {
			await samCtx.close();
		}
	});
});
