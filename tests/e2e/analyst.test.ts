// An analyst signs in, trains a challenger from the Models page, watches its live progress, compares
// it with the champion (metrics next to the baselines) and promotes it through the confirmation dialog;
// the recent training runs list every run, and a mistaken run is cancelled from the panel.
// The registry is a temporary CX_MODELS_DIR; the repository's models/churn is never touched.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { createUser } from '../../src/lib/server/auth/users';
import { readManifest } from '../../src/lib/server/churn/registry';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { seedDemoHistory } from '../../src/lib/server/demo';
import { fmt3 } from '../../src/lib/components/models/format';
import { againstBestBaseline } from '../../src/lib/shared/baseline-compare-text';
import { ARTIFACTS, launchBrowser } from '../helpers/browser';
import { ROOT, startServer, type TestServer } from '../helpers/server';

const PASSWORD = 'analyst-pass-1234';
let server: TestServer;
let browser: Browser;
let dir: string;
let modelsDir: string;

/** `npm run cx -- ARGS` against the test's database and registry. */
async function cx(...args: string[]): Promise<string> {
	const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), ...args], {
		cwd: ROOT,
		env: { ...process.env, CX_DB: join(dir, 'cx.duckdb'), CX_MODELS_DIR: modelsDir, CX_LOG_LEVEL: 'warn' }
	});
	return r.stdout;
}

async function signIn(page: Page): Promise<void> {
	// Type only once the page has hydrated: hydration resets a username typed before it.
	await page.goto(`${server.url}/login?next=/models`, { waitUntil: 'networkidle' });
	await page.fill('input[name="username"]', 'ana');
	await page.fill('input[name="password"]', PASSWORD);
	expect(await page.inputValue('input[name="username"]')).toBe('ana');
	// The login URL itself contains "/models" (?next=), so match the path.
	await Promise.all([page.waitForURL((u) => u.pathname === '/models'), page.click('button[type="submit"]')]);
}

/** Training worker processes of this test's server (they inherit its CX_MODELS_DIR). */
function trainingWorkers(): number[] {
	const pids: number[] = [];
	for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
		try {
			const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
			if (cmd.includes('train-worker') && readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`CX_MODELS_DIR=${modelsDir}`)) pids.push(Number(pid));
		} catch {
			/* exited meanwhile, or not ours to read */
		}
	}
	return pids;
}

interface VersionView {
	version: string;
	champion: boolean;
	metrics: { auc: number; pr_auc: number };
	baseline_metrics: { recency: { auc: number; pr_auc: number }; rfm_logistic: { auc: number; pr_auc: number } };
	champion_comparison: { version: string; metrics: { auc: number } } | null;
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-e2e-analyst-'));
	modelsDir = join(dir, 'models');
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		// 400 customers over 240 days: enough labelled history for a 90-day horizon, seeded in a few seconds.
		const seeded = await seedDemoHistory(db, { customers: 400, days: 240, seed: 7, end: new Date('2026-06-01T00:00:00Z') });
		if (!seeded.ok) throw new Error(seeded.error);
		const u = await createUser(db, { username: 'ana', role: 'analyst', password: PASSWORD });
		if (!u.ok) throw new Error(u.error);
	} finally {
		await shutdownDb(dbPath);
	}
	// Last quarter's champion: a quick 4-epoch model, promoted from the command line (--force: four epochs
	// need not beat the baselines; the challenger trained below is compared against it).
	await cx('train', '--epochs', '4');
	await cx('promote', 'v0001', '--force');
	server = await startServer({ dir, env: { CX_MODELS_DIR: modelsDir } });
	browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
	await browser?.close();
	await server?.stop({ keepDir: true });
	if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('analyst', () => {
	it('trains a challenger, compares it with the champion and promotes it', async () => {
		const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
		try {
			await signIn(page);
			await page.getByText('Champion: ★ v0001').waitFor();

			// Advanced: the defaults shown are the champion's target; a value the API refuses is marked at its
			// field (focus there) and nothing starts.
			const trainButton = page.getByRole('button', { name: 'Train challenger' });
			await page.locator('section[aria-labelledby="train-h"] summary', { hasText: 'Advanced' }).click();
			const championMeta = JSON.parse(readFileSync(join(modelsDir, 'v0001', 'metadata.json'), 'utf8')) as { horizon_days: number; definition: string };
			expect(await page.locator('#train-horizon').getAttribute('placeholder')).toBe(`${championMeta.horizon_days} (the champion’s)`);
			expect(await page.locator('#train-definition option').first().textContent()).toBe(`${championMeta.definition} (the champion’s)`);
			await page.locator('#train-epochs').fill('0');
			await trainButton.click();
			await page.locator('#train-err-epochs').waitFor();
			expect(await page.locator('#train-epochs').getAttribute('aria-invalid')).toBe('true');
			await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('train-epochs');
			expect(await page.locator('section[aria-labelledby="train-h"] [role="alert"]').textContent()).toContain('1 field needs attention');
			expect(await page.locator('progress#train-bar').count()).toBe(0);
			// Six epochs at most: the run says so, and ends sooner than the default's 30.
			await page.locator('#train-epochs').fill('6');

			const started = Date.now();
			await trainButton.click();
			const bar = page.locator('progress#train-bar');
			const valueAbove = (min: number) =>
				page.waitForFunction((m) => Number((document.querySelector('progress#train-bar') as HTMLProgressElement | null)?.getAttribute('value') ?? 0) > m, min, {
					timeout: 60_000
				});
			await valueAbove(0);
			const first = Number(await bar.getAttribute('value'));
			await page.getByText(/Epoch \d+ of 6/).waitFor();
			await page.screenshot({ path: join(ARTIFACTS, 'analyst-training.png'), fullPage: true });
			await valueAbove(first);
			await page.getByText(/✓ Done:/).waitFor({ timeout: 90_000 });
			const trainSeconds = (Date.now() - started) / 1000;

			// The finished run reloads the page data: the challenger sits next to the champion.
			const challengerRow = page.locator('tbody tr', { has: page.getByRole('button', { name: 'v0002', exact: true }) });
			await challengerRow.waitFor({ timeout: 10_000 });
			const championRow = page.locator('tbody tr', { has: page.getByRole('button', { name: 'v0001', exact: true }) });
			expect(await championRow.textContent()).toContain('★ Champion');
			expect(await challengerRow.textContent()).toContain('Challenger');
			// Recent training runs: this one (ana, v0002) over the command line's champion run (v0001).
			const runs = await page.locator('section[aria-labelledby="runs-h"] tbody tr').allTextContents();
			expect(runs[0]).toMatch(/ana.*✓ Succeeded.*v0002/s);
			expect(runs[1]).toMatch(/✓ Succeeded.*v0001/s);

			const listed = (await (await page.request.get(`${server.url}/api/v1/models`)).json()) as { champion: string; versions: VersionView[] };
			const v2 = listed.versions.find((v) => v.version === 'v0002')!;
			const v1 = listed.versions.find((v) => v.version === 'v0001')!;
			for (const [row, v] of [
				[challengerRow, v2],
				[championRow, v1]
			] as const) {
				const auc = row.locator('td').first();
				expect(await auc.locator('strong').textContent()).toBe(fmt3(v.metrics.auc));
				expect(await auc.textContent()).toContain(`recency ${fmt3(v.baseline_metrics.recency.auc)}`);
				expect(await auc.textContent()).toContain(`RFM ${fmt3(v.baseline_metrics.rfm_logistic.auc)}`);
			}
			// The champion of the time on the challenger's own validation customers.
			expect(v2.champion_comparison?.version).toBe('v0001');
			expect(await challengerRow.locator('td').first().textContent()).toContain(`v0001 ${fmt3(v2.champion_comparison!.metrics.auc)}`);
			// The end line compares the new version with its best baseline, in the command line's words.
			const endLine = async () => (await page.locator('label[for="train-bar"]').innerText()).replace(/\s+/g, ' ').trim();
			await expect.poll(endLine).toBe(`✓ Done: saved v0002 — ${againstBestBaseline(v2.metrics, v2.baseline_metrics)}`);

			await challengerRow.getByRole('button', { name: 'Promote…' }).click();
			const dialog = page.getByRole('dialog');
			await dialog.waitFor();
			expect(await dialog.textContent()).toContain('(replacing v0001)');
			expect(await dialog.textContent()).toContain(`ROC-AUC ${fmt3(v2.metrics.auc)} vs recency ${fmt3(v2.baseline_metrics.recency.auc)}`);
			expect(await dialog.textContent()).toContain(`On the same validation customers, v0001 (the champion when v0002 was trained) had ROC-AUC ${fmt3(v2.champion_comparison!.metrics.auc)}`);
			await dialog.getByRole('button', { name: 'Promote', exact: true }).click();
			await page.getByText('v0002 is now the champion.').waitFor();
			await page.getByText('Champion: ★ v0002').waitFor();
			expect(await dialog.count()).toBe(0);
			expect(await challengerRow.textContent()).toContain('★ Champion');
			// The dialog's opener (Promote… in v0002's row) is gone: focus lands on the outcome, not on <body>.
			await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toContain('v0002 is now the champion.');
			await page.screenshot({ path: join(ARTIFACTS, 'analyst-promoted.png'), fullPage: true });

			const after = (await (await page.request.get(`${server.url}/api/v1/models`)).json()) as { champion: string };
			expect(after.champion).toBe('v0002');
			const manifest = readManifest(modelsDir);
			expect(manifest.champion).toBe('v0002');
			expect(manifest.history.at(-1)).toMatchObject({ action: 'promote', version: 'v0002', by: 'ana' });

			// Roll back: its button is disabled afterwards (nothing left to roll back to), so focus lands on the outcome too.
			await page.getByRole('button', { name: 'Roll back to v0001…' }).click();
			await page.getByRole('dialog').getByRole('button', { name: 'Roll back', exact: true }).click();
			await page.getByText('Rolled back: v0001 is the champion again.').waitFor();
			await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toContain('Rolled back: v0001 is the champion again.');
			expect(readManifest(modelsDir).champion).toBe('v0001');
			console.log(`analyst: challenger trained through the page in ${trainSeconds.toFixed(1)} s`);
		} catch (e) {
			await page.screenshot({ path: join(ARTIFACTS, 'analyst-failure.png'), fullPage: true });
			console.error(`server output:\n${server.output()}`);
			throw e;
		} finally {
			await page.close();
		}
	});

	it('enters a response-time rule in minutes; the rule stores seconds and the list shows hours', async () => {
		const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
		try {
			await signIn(page);
			await page.goto(`${server.url}/alerts`, { waitUntil: 'networkidle' });
			// The work list is read-only for analysts, and its key help offers no item actions.
			const help = await page.locator('p.help').innerText();
			expect(help).toContain('Your role (analyst) can read the work list but not change items.');
			expect(help).not.toMatch(/claim|snooze|resolve/);
			await page.getByRole('button', { name: 'New rule' }).click();
			const dialog = page.getByRole('dialog', { name: 'New alert rule' });
			await dialog.getByLabel('Name', { exact: true }).fill('Slow first response');
			await dialog.getByLabel(/^Metric/).selectOption('frt_median');
			await dialog.getByLabel('Fires when value is').selectOption('>');
			await dialog.getByLabel('Threshold (minutes)').fill('120');
			await dialog.getByRole('button', { name: 'Save rule' }).click();
			await dialog.waitFor({ state: 'detached' });
			const row = page.locator('tr', { hasText: 'Slow first response' });
			await row.waitFor();
			expect(await row.textContent()).toContain('First response (median) > 2 h');
			const { rules } = (await (await page.request.get(`${server.url}/api/v1/alerts/rules`)).json()) as { rules: { name: string; definition: { threshold: number } }[] };
			expect(rules.find((r) => r.name === 'Slow first response')?.definition.threshold).toBe(7200);
			await row.getByRole('button', { name: 'Edit' }).click();
			expect(await page.getByRole('dialog').getByLabel('Threshold (minutes)').inputValue()).toBe('120');
		} finally {
			await page.close();
		}
	});

	it('reports a run lost to a server restart and can train again', async () => {
		const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
		try {
			await signIn(page);
			const before = readManifest(modelsDir);
			await page.getByRole('button', { name: 'Train challenger' }).click();
			await page.getByText(/Epoch \d+ of \d+/).waitFor({ timeout: 60_000 });
			expect(trainingWorkers().length).toBe(1);

			const { port } = server;
			await server.stop({ keepDir: true });
			// The worker notices its server is gone and stops instead of training for nobody.
			await expect.poll(() => trainingWorkers(), { timeout: 10_000 }).toEqual([]);
			server = await startServer({ dir, port, env: { CX_MODELS_DIR: modelsDir } });

			// No reload: the panel reconnects, learns the run is gone (the restarted server recorded it as failed) and offers training again.
			await page.getByText('⚠ Failed: the server stopped during training').waitFor({ timeout: 45_000 });
			const train = page.getByRole('button', { name: 'Train challenger' });
			expect(await train.isEnabled()).toBe(true);
			await page.locator('section[aria-labelledby="train-h"]').scrollIntoViewIfNeeded();
			await page.screenshot({ path: join(ARTIFACTS, 'analyst-train-interrupted.png') });
			// The lost run saved nothing and changed no champion.
			expect(readManifest(modelsDir)).toEqual(before);

			// A mistaken run is cancelled from the panel: its process stops, nothing is saved, training is offered again.
			await train.click();
			await page.getByRole('button', { name: 'Cancel training…' }).click();
			await page.getByRole('dialog').getByRole('button', { name: 'Cancel training', exact: true }).click();
			await page.getByText(/Cancelled by ana at \d\d:\d\d UTC; nothing was saved\./).waitFor();
			expect(await train.isEnabled()).toBe(true);
			// Focus lands on the enabled Train challenger button, not on <body> (the dialog's opener has gone).
			await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Train challenger');
			await expect.poll(() => trainingWorkers(), { timeout: 10_000 }).toEqual([]);
			const newest = page.locator('section[aria-labelledby="runs-h"] tbody tr').first();
			await expect.poll(() => newest.textContent(), { timeout: 10_000 }).toMatch(/ana.*Cancelled by ana/s);
			expect(readManifest(modelsDir)).toEqual(before);
		} catch (e) {
			await page.screenshot({ path: join(ARTIFACTS, 'analyst-failure.png'), fullPage: true });
			console.error(`server output:\n${server.output()}`);
			throw e;
		} finally {
			await page.close();
		}
	});

	it('refuses half-typed dates instead of acting on the default, and survives a version without metrics', async () => {
		const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
		const bare = join(modelsDir, 'v0099');
		try {
			await signIn(page);
			const backtests = async () => ((await (await page.request.get(`${server.url}/api/v1/models/backtests`)).json()) as { running: unknown; backtests: unknown[] });
			const before = await backtests();

			// 02/30/2026 is no day: the input's value is "" as for an empty field, which would mean the latest cutoff that works.
			const cutoff = page.locator('#backtest-cutoff');
			await cutoff.focus();
			await page.keyboard.type('02302026');
			expect(await cutoff.inputValue()).toBe('');
			await page.getByRole('button', { name: 'Run backtest' }).click();
			await page.locator('#backtest-err-cutoff').waitFor();
			expect(await page.locator('#backtest-err-cutoff').textContent()).toBe(
				'Not a complete date: type day, month and year, or clear the field for the latest cutoff that works'
			);
			expect(await cutoff.getAttribute('aria-invalid')).toBe('true');
			await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('backtest-cutoff');
			expect(await page.locator('form[aria-labelledby="backtest-form-h"] [role="alert"]').textContent()).toContain('1 field needs attention');
			const after = await backtests();
			expect(after.running).toBeNull();
			expect(after.backtests.length).toBe(before.backtests.length);

			// The export's empty date means no limit: month and day without a year must not download every event.
			const from = page.locator('#export-from');
			await from.focus();
			await page.keyboard.type('0301');
			await page.getByRole('button', { name: 'Download Parquet' }).click();
			await page.locator('#export-err-from').waitFor();
			expect(await page.locator('#export-err-from').textContent()).toBe('Not a complete date: type day, month and year, or clear the field for no lower limit');
			await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('export-from');
			expect(new URL(page.url()).pathname).toBe('/models');


			// One version folder whose metadata.json lacks its metrics (hand-made, or damaged) leaves the page working.
			const meta = JSON.parse(readFileSync(join(modelsDir, 'v0001', 'metadata.json'), 'utf8')) as Record<string, unknown>;
			for (const k of ['metrics', 'baseline_metrics', 'champion_comparison', 'curves']) delete meta[k];
			mkdirSync(bare);
			writeFileSync(join(bare, 'metadata.json'), JSON.stringify({ ...meta, version: 'v0099' }));
			const res = await page.goto(`${server.url}/models`, { waitUntil: 'networkidle' });
			expect(res?.status()).toBe(200);
			const row = page.locator('tbody tr', { has: page.getByRole('button', { name: 'v0099', exact: true }) });
			expect(await row.locator('td').first().textContent()).toContain('no metrics recorded');
			expect(await row.textContent()).toContain('no metrics to compare with the baselines');
			await page.getByRole('button', { name: 'v0099', exact: true }).click();
			await page.getByText('No metrics recorded for v0099').waitFor();
			// The other versions are shown as before.
			const champion = page.locator('tbody tr', { has: page.getByRole('button', { name: 'v0001', exact: true }) });
			expect(await champion.locator('td').first().locator('strong').textContent()).toMatch(/^\d\.\d{3}$/);
		} catch (e) {
			await page.screenshot({ path: join(ARTIFACTS, 'analyst-failure.png'), fullPage: true });
			console.error(`server output:\n${server.output()}`);
			throw e;
		} finally {
			rmSync(bare, { recursive: true, force: true });
			await page.close();
		}
	});
});
