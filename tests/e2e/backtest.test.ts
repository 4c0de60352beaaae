// An analyst backtests from the Models page: a cutoff too late is refused at its field, a run with two
// epochs shows its live progress, then the model and both baselines on the held-out window, with the
// scores and the report to download; a run opened mid-way shows its progress at once and is cancelled.
// The registry is a temporary CX_MODELS_DIR; the repository's models/churn is never touched.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { createUser } from '../../src/lib/server/auth/users';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { seedDemoHistory } from '../../src/lib/server/demo';
import { fmt3, fmt4 } from '../../src/lib/components/models/format';
import type { BacktestListJson } from '../../src/lib/shared/backtest-json';
import { BEST_PRACTICE_TAGS, formatViolations, runAxe } from '../helpers/axe';
import { ARTIFACTS, launchBrowser } from '../helpers/browser';
import { tabThrough, unnamedCharts } from '../helpers/keyboard';
import { startServer, type TestServer } from '../helpers/server';

const PASSWORD = 'analyst-pass-1234';
let server: TestServer;
let browser: Browser;
let dir: string;

async function signIn(page: Page): Promise<void> {
	// Type only once the page has hydrated: hydration resets a username typed before it.
	await page.goto(`${server.url}/login?next=/models`, { waitUntil: 'networkidle' });
	await page.fill('input[name="username"]', 'ana');
	await page.fill('input[name="password"]', PASSWORD);
	expect(await page.inputValue('input[name="username"]')).toBe('ana');
	await Promise.all([page.waitForURL((u) => u.pathname === '/models'), page.click('button[type="submit"]')]);
}

/** As the a11y e2e checks every page: axe, charts with names, and every control reached by Tab, named and showing focus. */
async function checkA11y(page: Page, name: string): Promise<void> {
	const violations = await runAxe(page, { tags: BEST_PRACTICE_TAGS });
	expect(violations.length, `axe on ${name}:\n${formatViolations(violations)}`).toBe(0);
	expect(await unnamedCharts(page), `${name}: charts without role="img" and a name`).toEqual([]);
	const kb = await tabThrough(page);
	expect(kb.unreached, `${name}: not reachable with Tab`).toEqual([]);
	expect(kb.unnamed, `${name}: no accessible name`).toEqual([]);
	expect(kb.noFocusIndicator, `${name}: no visible focus indicator`).toEqual([]);
}

const list = async (page: Page) =>
	(await (await page.request.get(`${server.url}/api/v1/models/backtests`)).json()) as BacktestListJson;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-e2e-backtest-'));
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		// 240 days: room for a 90-day fit before the cutoff and a 90-day horizon after it. 1,500 customers, so
		// that a run's epochs take long enough to open the page and cancel it before early stopping ends it.
		const seeded = await seedDemoHistory(db, {
			customers: 1500,
			days: 240,
			seed: 7,
			end: new Date('2026-06-01T00:00:00Z')
		});
		if (!seeded.ok) throw new Error(seeded.error);
		const u = await createUser(db, { username: 'ana', role: 'analyst', password: PASSWORD });
		if (!u.ok) throw new Error(u.error);
	} finally {
		await shutdownDb(dbPath);
	}
	server = await startServer({ dir, env: { CX_MODELS_DIR: join(dir, 'models') } });
	browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
	await browser?.close();
	await server?.stop({ keepDir: true });
	if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('backtest panel', () => {
	it('refuses a cutoff too late at its field, runs a backtest live and shows the model against both baselines', async () => {
		const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
		try {
			await signIn(page);
			const panel = page.locator('section[aria-labelledby="backtest-h"]');
			await panel.scrollIntoViewIfNeeded();
			expect(await panel.textContent()).toContain('No backtest recorded yet');
			const { defaults } = await list(page);
			expect(defaults.cutoff).not.toBeNull();
			const cutoff = panel.getByLabel('Cutoff (day T)');
			expect(await cutoff.inputValue()).toBe(defaults.cutoff);
			expect(await panel.getByLabel('Horizon (days)').inputValue()).toBe(String(defaults.horizon_days));

			// Past the latest cutoff: the server says so at the field, naming the one that works; the values stay.
			await cutoff.fill('2026-05-01');
			await panel.getByRole('button', { name: 'Run backtest' }).click();
			const fieldError = panel.locator('#backtest-err-cutoff');
			await fieldError.waitFor();
			expect(await fieldError.textContent()).toContain(
				`The latest cutoff that works for a ${defaults.horizon_days}-day horizon is ${defaults.latest_cutoff}`
			);
			expect(await cutoff.getAttribute('aria-invalid')).toBe('true');
			expect(await cutoff.getAttribute('aria-describedby')).toContain('backtest-err-cutoff');
			expect(await panel.getByRole('alert').textContent()).toContain('1 field needs attention');
			expect(await cutoff.inputValue()).toBe('2026-05-01');
			// Focus goes to the field to fix, not back to <body>.
			await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('backtest-cutoff');
			await page.screenshot({ path: join(ARTIFACTS, 'backtest-422.png'), fullPage: true });
			await checkA11y(page, 'backtest form with a field error');

			await cutoff.fill(defaults.cutoff!);
			await panel.getByText('Advanced').click();
			await panel.getByLabel(/^Epochs/).fill('2');
			await panel.getByRole('button', { name: 'Run backtest' }).click();
			expect(await fieldError.count()).toBe(0);
			await page.waitForFunction(
				() =>
					Number(
						(document.querySelector('progress#backtest-bar') as HTMLProgressElement | null)?.getAttribute(
							'value'
						) ?? 0
					) > 0,
				null,
				{
					timeout: 60_000
				}
			);
			// One at a time: the button says why it cannot start another (the run lasts seconds at least: features, then a child process).
			await panel.getByText('A backtest is running (started by ana); one runs at a time.').waitFor();
			expect(await panel.getByRole('button', { name: 'Run backtest' }).isDisabled()).toBe(true);
			expect(await panel.textContent()).toContain(
				`Backtest at cutoff ${defaults.cutoff}, ${defaults.horizon_days} days`
			);
			// Only the status sentence is a live region: not the cancel button, nor the figures of each epoch.
			expect(await panel.locator('[aria-live], [role="status"]').count()).toBe(1);
			expect(await panel.locator('#backtest-status[role="status"] button, #backtest-status[role="status"] dl').count()).toBe(0);
			await page.screenshot({ path: join(ARTIFACTS, 'backtest-running.png'), fullPage: true });
			await panel.getByText(/✓ Done/).waitFor({ timeout: 120_000 });

			// The finished run is selected: the three scores with their figures, as the API has them.
			const done = await list(page);
			const run = done.backtests[0];
			expect(run).toMatchObject({
				state: 'succeeded',
				started_by: 'ana',
				cutoff: defaults.cutoff,
				horizon_days: defaults.horizon_days
			});
			const result = panel.locator('section[aria-labelledby="backtest-result-h"]');
			const rows = result.locator('tbody tr');
			await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(3);
			const texts = await rows.allTextContents();
			expect(texts[0]).toContain('Model');
			expect(texts[1]).toContain('Recency');
			expect(texts[2]).toContain('RFM logistic');
			const s = run.summary!;
			expect(texts[0]).toContain(fmt3(s.model.auc));
			expect(texts[0]).toContain(fmt4(s.model.brier));
			expect(texts[1]).toContain(fmt3(s.recency.auc));
			expect(texts[2]).toContain(fmt3(s.rfm_logistic.pr_auc));
			// Every column has a best value, marked with text (★ and "(best)" for screen readers), not colour alone.
			expect(await result.locator('tbody td.best').count()).toBeGreaterThanOrEqual(5);
			expect(await result.getByText('(best)').count()).toBeGreaterThanOrEqual(5);
			expect(await result.textContent()).toMatch(
				/The project’s goal: the model beats the better baseline by at least 0\.03 AUC points on both ROC-AUC and PR-AUC\. (✓ met|✗ not met: (ROC-AUC|PR-AUC) [−+±]\d\.\d{3}.* under \+0\.03)/
			);
			expect(await result.textContent()).not.toContain('DESIGN');
			// The done line says the figures as the table does (3 decimals), not the server's message (4).
			expect(await panel.locator('#backtest-status').textContent()).toContain(`✓ Done: model ROC-AUC ${fmt3(s.model.auc)} against`);
			expect(await result.textContent()).toContain(`${run.population!.toLocaleString('en-US')} customer`);
			// The demo world has cancellations (auto → cancellation): the customers left out are said, as `cx backtest` says them.
			expect(run.churn_definition).toBe('cancellation');
			expect(run.cancelled_not_scored).toBeGreaterThan(1);
			expect(await result.locator('.facts li').allTextContents()).toContain(
				`${run.cancelled_not_scored!.toLocaleString('en-US')} customers who had cancelled by the cutoff are not scored (cancellation definition)`
			);
			expect(await result.textContent()).toMatch(/Training \d+(\.\d)? s/);
			// Curves: the model and both baselines, each named in the legend.
			await result.getByRole('img', { name: 'ROC curve' }).waitFor();
			expect(await result.locator('figure').count()).toBe(4);
			expect(await result.locator('figure').first().locator('.legend li').allTextContents()).toEqual(
				['Model', 'Recency', 'RFM logistic'].map((n) => expect.stringContaining(n))
			);
			// Recent backtests: this run, selected.
			const newest = panel.locator('section[aria-labelledby="backtests-h"] tbody tr').first();
			expect(await newest.textContent()).toMatch(
				new RegExp(`${defaults.cutoff}.*ana.*✓ Succeeded.*${fmt3(s.model.auc)}`, 's')
			);
			expect(await newest.getByRole('button').getAttribute('aria-pressed')).toBe('true');
			expect(await newest.getByRole('button').getAttribute('aria-label')).toContain(`${run.churn_definition} churn`);
			await page.screenshot({ path: join(ARTIFACTS, 'backtest-result.png'), fullPage: true });
			await checkA11y(page, 'backtest results');

			const [csv] = await Promise.all([
				page.waitForEvent('download'),
				result.getByRole('link', { name: 'Download scores (CSV)' }).click()
			]);
			const lines = readFileSync((await csv.path())!, 'utf8')
				.trim()
				.split('\n');
			expect(csv.suggestedFilename()).toBe(`backtest-${defaults.cutoff}-${defaults.horizon_days}d-${run.id.slice(0, 8)}.csv`);
			expect(lines[0]).toBe('customer_id,score');
			expect(lines.length - 1).toBe(run.population);
			const [report] = await Promise.all([
				page.waitForEvent('download'),
				result.getByRole('link', { name: 'Download report (JSON)' }).click()
			]);
			expect(report.suggestedFilename()).toBe(
				`backtest-${defaults.cutoff}-${defaults.horizon_days}d-${run.churn_definition}-${run.id.slice(0, 8)}.json`
			);
			const json = JSON.parse(readFileSync((await report.path())!, 'utf8')) as {
				auc: number;
				baselines: { recency: { auc: number } };
			};
			expect(json.auc).toBeCloseTo(s.model.auc, 10);
			expect(json.baselines.recency.auc).toBeCloseTo(s.recency.auc, 10);
		} catch (e) {
			await page.screenshot({ path: join(ARTIFACTS, 'backtest-failure.png'), fullPage: true });
			console.error(`server output:\n${server.output()}`);
			throw e;
		} finally {
			await page.close();
		}
	});

	it('shows a run already under way at once, and cancels it after asking', async () => {
		const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
		try {
			await signIn(page);
			const started = await page.request.post(`${server.url}/api/v1/models/backtest`, {
				data: { epochs: 200 }
			});
			expect(started.status()).toBe(202);
			const { run_id: runId } = (await started.json()) as { run_id: string };
			// Wait until the run has reported, then open the page: the progress is there before any new event.
			await expect
				.poll(async () => (await list(page)).running?.progress?.phase ?? null, { timeout: 60_000 })
				.toMatch(/features|training/);
			await page.reload({ waitUntil: 'domcontentloaded' });
			const panel = page.locator('section[aria-labelledby="backtest-h"]');
			await panel.getByText(/; started by ana at \d\d:\d\d UTC\./).waitFor({ timeout: 5_000 });
			expect(await page.locator('progress#backtest-bar').getAttribute('value')).not.toBeNull();
			expect(await panel.getByRole('button', { name: 'Run backtest' }).isDisabled()).toBe(true);

			await panel.getByRole('button', { name: 'Cancel backtest…' }).click();
			const dialog = page.getByRole('dialog');
			await dialog.getByRole('button', { name: 'Cancel backtest', exact: true }).click();
			await panel.getByText(/Cancelled by ana at \d\d:\d\d UTC; no results were kept\./).waitFor();
			// Said once, with no empty progress bar left behind.
			await expect.poll(() => panel.getByText(/no results were kept/).count(), { timeout: 10_000 }).toBe(1);
			expect(await page.locator('progress#backtest-bar').count()).toBe(0);
			// Focus lands on the enabled Run backtest button (the dialog's opener has gone with the run).
			await expect
				.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim()))
				.toBe('Run backtest');
			const after = await list(page);
			expect(after.running).toBeNull();
			expect(after.backtests.find((r) => r.id === runId)).toMatchObject({
				state: 'cancelled',
				cancelled_by: 'ana'
			});
			const newest = panel.locator('section[aria-labelledby="backtests-h"] tbody tr').first();
			await expect.poll(() => newest.textContent(), { timeout: 10_000 }).toMatch(/ana.*Cancelled by ana/s);
			// The list has the cancelled run now, shown below the status line: the cancel is still said once.
			expect(await panel.getByText(/no results were kept/).count()).toBe(1);
		} catch (e) {
			await page.screenshot({ path: join(ARTIFACTS, 'backtest-failure.png'), fullPage: true });
			console.error(`server output:\n${server.output()}`);
			throw e;
		} finally {
			await page.close();
		}
	});
});
