// The metric drill-down page in Chromium, on a world with a vip segment and 40 days of history: a page
// opened from a filtered Overview says what it is limited to and can change or clear it; the churn
// chart is drawn beside its value and its channel rows say what they measure; its thresholds are shaded
// only at the 30 d they are set for; the at-risk pages draw their line from the score history, with
// what they count on the axis, and link to the customers they count; a duration axis ticks at round hours from zero with every label inside the
// chart; an unknown segment is refused on the Overview, the metric page and the API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { sqlTs } from '../../src/lib/server/alerts/sql-time';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import type { Channel } from '../../src/lib/shared/events';
import { ARTIFACTS, launchBrowser } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { anEvent } from '../fixtures/events';
import { aCustomer } from '../fixtures/alerts';
import { insertCustomers } from '../fixtures/alerts-db';
import { aModelVersion, writeRegistry } from '../fixtures/model-registry';

const DAY = 86_400_000;
let dir: string;
let server: TestServer;
let ingestKey: string;
let analystKey: string;
let browser: Browser;
let page: Page;

/** 30 customers (every third vip) active on several channels for 40 days, some stopping; surveys and tickets. */
function history(now: number): unknown[] {
	const channels: Channel[] = ['web', 'app', 'email', 'chat'];
	const out: unknown[] = [];
	for (let i = 0; i < 30; i++) {
		const last = i % 5 === 0 ? 25 : 0; // every fifth customer stops 25 days ago
		for (let ago = 40; ago >= last; ago -= (i % 3) + 1) {
			const at = new Date(now - ago * DAY - (i % 7) * 3_600_000);
			const channel = channels[(i + ago) % channels.length];
			out.push(anEvent().withCustomer(`m${i}`).withChannel(channel).withType('visit').at(at).build());
			if (ago < 7)
				out.push(
					anEvent()
						.withCustomer(`m${i}`)
						.withChannel(channel)
						.withType('survey_csat')
						.withRating(1 + ((i + ago) % 5))
						.at(at)
						.build()
				);
			if (ago < 7 && ago % 2 === 0) {
				const ticket = `t-${i}-${ago}`;
				out.push(
					anEvent()
						.withCustomer(`m${i}`)
						.withChannel('email')
						.withType('support_opened')
						.withTicket(ticket)
						.at(at)
						.build()
				);
				const reply = new Date(at.getTime() + ((i % 9) + 1) * 1.7 * 3_600_000);
				if (reply.getTime() < now)
					out.push(
						anEvent()
							.withCustomer(`m${i}`)
							.withChannel('email')
							.withType('support_reply')
							.withTicket(ticket, 'a1')
							.at(reply)
							.build()
					);
			}
		}
	}
	return out;
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'cx-metric-page-'));
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	try {
		await insertCustomers(
			db,
			Array.from({ length: 30 }, (_, i) =>
				aCustomer()
					.withId(`m${i}`)
					.inSegment(i % 3 === 0 ? 'vip' : 'default')
					.build()
			)
		);
		// Churn scores as the scorer stores them: every fourth customer in the high band (8, 3 of them vip).
		for (let i = 0; i < 30; i++)
			await db.run(
				`INSERT INTO scores (customer_id, model_version, probability, risk_band, reasons, scored_at) VALUES ($1, 'v0001', $2, $3, '[]', $4::TIMESTAMP)`,
				[`m${i}`, i % 4 === 0 ? 0.2 + i / 100 : 0.05, i % 4 === 0 ? 'high' : i % 4 === 1 ? 'medium' : 'low', sqlTs(Date.now() - DAY)]
			);
		// Their history: the first four high from 3 days ago, the other four from a day ago; the others low from 3
		// days ago. Removals recorded for 30 days (a database made now would have no point before now).
		for (let i = 0; i < 30; i++)
			await db.run('INSERT INTO score_history (customer_id, model_version, probability, scored_at) VALUES ($1, $2, $3, $4::TIMESTAMP)', [
				`m${i}`,
				'v0001',
				i % 4 === 0 ? 0.2 + i / 100 : 0.05,
				sqlTs(Date.now() - (i % 4 === 0 && i >= 16 ? 1 : 3) * DAY)
			]);
		await db.run('UPDATE schema_migrations SET applied_at = $1::TIMESTAMP WHERE id = 25', [sqlTs(Date.now() - 30 * DAY)]);
		const keys = await Promise.all(
			(['ingest', 'analyst'] as const).map((scope) => createApiKey(db, { scope, createdBy: 'test' }))
		);
		[ingestKey, analystKey] = keys.map((k) => {
			if (!k.ok) throw new Error(k.error);
			return k.value.token;
		});
	} finally {
		await shutdownDb(dbPath);
	}
	// The version that gave the scores (high from 20 %, as stored above), and no champion: no scorer replaces them.
	const models = join(dir, 'models');
	writeRegistry(models, [aModelVersion('v0001').withFittedBands(0.1, 0.2, { medium: 0.3, high: 0.25 }).build()]);
	server = await startServer({ dir, env: { CX_TICK_MS: '500', CX_MODELS_DIR: models } });
	const r = await fetch(`${server.url}/api/v1/events`, {
		method: 'POST',
		headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/json' },
		body: JSON.stringify(history(Date.now()))
	});
	expect(r.status).toBe(200);
	browser = await launchBrowser();
	page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	await page.goto(`${server.url}/login`);
	await page.fill('input[name="username"]', 'admin');
	await page.fill('input[name="password"]', server.adminPassword()!);
	await Promise.all([page.waitForURL(`${server.url}/`), page.click('button[type="submit"]')]);
}, 60_000);

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * The chart's tick labels, checked to lie inside the chart and not over one another; x labels are the
 * ones on the bottom line.
 */
async function axisLabels(): Promise<{ x: { text: string }[]; y: { text: string }[] }> {
	const svg = page.locator('.chart svg');
	await svg.waitFor();
	const box = (await svg.boundingBox())!;
	const ticks = await svg.locator('text.tick').evaluateAll((els) =>
		els.map((e) => {
			const r = e.getBoundingClientRect();
			return { text: e.textContent ?? '', left: r.left, right: r.right, bottom: r.bottom };
		})
	);
	for (const t of ticks) {
		expect(t.left, t.text).toBeGreaterThanOrEqual(box.x - 0.5);
		expect(t.right, t.text).toBeLessThanOrEqual(box.x + box.width + 0.5);
	}
	const bottom = Math.max(...ticks.map((t) => t.bottom));
	const x = ticks.filter((t) => t.bottom === bottom).sort((a, b) => a.left - b.left);
	for (let i = 1; i < x.length; i++)
		expect(x[i].left, `${x[i - 1].text} | ${x[i].text}`).toBeGreaterThan(x[i - 1].right);
	expect(x.length).toBeGreaterThan(2);
	return { x, y: ticks.filter((t) => t.bottom !== bottom) };
}

describe('metric page', () => {
	it('opened from a filtered Overview, names its filters, limits its breakdowns and can clear them', async () => {
		await page.goto(`${server.url}/?window=7d&channel=app&segment=vip`);
		await page.locator('[data-metric="csat"]').click();
		await page.waitForURL(/\/metrics\/csat\?window=7d&channel=app&segment=vip$/);
		expect(await page.locator('h1').textContent()).toBe('CSAT · channel app, segment vip');
		expect(await page.title()).toMatch(/^CSAT \(channel app, segment vip\)/);
		expect(await page.getByRole('combobox', { name: /^Channel/ }).inputValue()).toBe('app');
		expect(await page.getByRole('combobox', { name: /^Segment/ }).inputValue()).toBe('vip');
		expect(await page.getByTestId('breakdown-channel').locator('h2').textContent()).toBe(
			'By channel · segment vip only'
		);
		expect(await page.getByTestId('breakdown-segment').locator('h2').textContent()).toBe(
			'By segment · channel app only'
		);
		await page.screenshot({ path: join(ARTIFACTS, 'metric-page-filtered.png'), fullPage: true });
		await page.getByRole('combobox', { name: /^Segment/ }).selectOption('default');
		await page.waitForURL(/segment=default/);
		await page.getByRole('button', { name: 'Clear filters' }).click();
		await page.waitForURL(/\/metrics\/csat\?window=7d$/);
		expect(await page.locator('h1').textContent()).toBe('CSAT');
		expect(
			await page.evaluate(() => document.activeElement?.closest('label')?.textContent?.trim().split(/\s/)[0])
		).toBe('Channel');
	});

	it('marks a chosen window at once and says its figures are loading until they come, focus on its link', async () => {
		await page.goto(`${server.url}/metrics/csat?window=24h`);
		// Hold the page's data so the wait is long enough to look at (a 30-day window can take seconds).
		let release = () => {};
		const held = new Promise<void>((r) => (release = r));
		const pageData = '**/__data.json*';
		await page.route(pageData, async (route) => {
			await held;
			await route.continue();
		});
		const windows = page.getByRole('navigation', { name: 'Window' });
		const link = (name: string) => windows.getByRole('link', { name, exact: true });
		// By keyboard: the windows are links, one Tab stop each; Enter follows one.
		await link('24 h').focus();
		await page.keyboard.press('Tab');
		await page.keyboard.press('Tab');
		expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('30 d');
		await page.keyboard.press('Enter');
		expect(await link('30 d').getAttribute('aria-current')).toBe('page');
		expect(await link('24 h').getAttribute('aria-current')).toBeNull();
		expect(await page.getByTestId('metric-loading').textContent()).toBe('loading 30 d…');
		expect(await page.locator('[aria-busy="true"] [data-metric="csat"]').count()).toBe(1);
		expect(await page.locator('[aria-busy="true"] > [data-testid="breakdown-channel"]').count()).toBe(1);
		expect(page.url()).toMatch(/[?&]window=24h$/); // nothing loaded yet: the data is held
		await page.screenshot({ path: join(ARTIFACTS, 'metric-page-loading.png') });
		release();
		await page.waitForURL(/[?&]window=30d$/);
		await page.locator('[aria-busy="false"] [data-metric="csat"]').waitFor({ timeout: 5000 });
		expect(await page.getByTestId('metric-loading').textContent()).toBe('');
		expect(await page.locator('[aria-busy="true"]').count()).toBe(0);
		expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('30 d');
		await page.unroute(pageData);
	});

	it('draws the churn rate beside its value and says what its channel rows measure', async () => {
		await page.goto(`${server.url}/metrics/churn_rate?window=30d`);
		expect(await page.locator('[data-metric="churn_rate"] [data-testid="tile-value"]').textContent()).toMatch(
			/%$/
		);
		await page.locator('.chart svg').waitFor();
		expect(await page.getByText('No data in this window yet').count()).toBe(0);
		expect(await page.getByTestId('chart-note').textContent()).toMatch(
			/^Each point: Churn rate over the 30 d up to it, one every 1 d/
		);
		const channels = page.getByTestId('breakdown-channel');
		expect(await channels.locator('thead th').allTextContents()).toEqual([
			'channel',
			'Stopped using the channel',
			'counts'
		]);
		expect(await channels.textContent()).not.toMatch(/Critical|Warning/);
		expect(await page.getByTestId('breakdown-segment').locator('thead th').allTextContents()).toEqual([
			'segment',
			'Churn rate',
			'state',
			'counts'
		]);
		await page.screenshot({ path: join(ARTIFACTS, 'metric-page-churn.png'), fullPage: true });
	});

	it('shades the churn thresholds only at the 30 d they are set for, and says so at another window', async () => {
		const chart = page.locator('.chart');
		await page.goto(`${server.url}/metrics/churn_rate?window=24h`);
		// Without the 3 %/6 % lines the axis fits the 24 h figures, each label once ("0 %, 0 %, 0.1 %…" before).
		const { y } = await axisLabels();
		expect(new Set(y.map((t) => t.text)).size).toBe(y.length);
		expect(await chart.locator('rect.band').count()).toBe(0);
		expect(await chart.locator('.legend').textContent()).not.toMatch(/range/);
		expect(await chart.locator('svg').getAttribute('aria-label')).not.toMatch(/warning at|critical at/);
		expect(await page.getByTestId('thresholds').textContent()).toBe(
			'Thresholds (set for 30 d, not applied at 24 h): warning at 3 %, critical at 6 % (lower is better).'
		);
		await page.screenshot({ path: join(ARTIFACTS, 'metric-page-churn-24h.png'), fullPage: true });
		await page.goto(`${server.url}/metrics/churn_rate?window=30d`);
		await chart.locator('svg').waitFor();
		expect(await chart.locator('rect.band.warn').count()).toBe(1);
		expect(await chart.locator('rect.band.critical').count()).toBe(1);
		expect(await chart.locator('.legend').textContent()).toMatch(/warning range.*critical range/);
		expect(await chart.locator('svg').getAttribute('aria-label')).toMatch(/; warning at 3 %, critical at 6 %$/);
		expect(await page.getByTestId('thresholds').textContent()).toBe(
			'Thresholds: warning at 3 %, critical at 6 % (lower is better).'
		);
	});

	it('draws the at-risk line from the score history, with what it counts on the axis', async () => {
		await page.goto(`${server.url}/metrics/at_risk_customers?window=7d`);
		const chart = page.locator('.chart');
		await chart.locator('svg').waitFor();
		// Nobody scored before 3 days ago; 4 at risk from then, 8 from a day ago, as the tile reads now.
		expect(await chart.locator('svg').getAttribute('aria-label')).toMatch(
			/^At-risk customers over the window \(customers\): 1[23] points from .*; latest 8, lowest 4, highest 8$/
		);
		expect(await page.locator('[data-metric="at_risk_customers"] [data-testid="tile-value"]').textContent()).toBe('8');
		expect(await chart.locator('text.axis-title').textContent()).toBe('customers');
		expect(await page.getByTestId('chart-note').textContent()).toBe(
			"Each point: At-risk customers as it read at that moment, from the churn scores then, one every 6 h; the last is the tile's value."
		);
		await axisLabels();
		await page.screenshot({ path: join(ARTIFACTS, 'metric-page-at-risk.png'), fullPage: true });
		// A channel filter does not split a customer's score: the page says its line is all channels.
		await page.goto(`${server.url}/metrics/at_risk_revenue?window=7d&channel=app`);
		await chart.locator('svg').waitFor();
		expect(await chart.locator('text.axis-title').textContent()).toBe('£ a month');
		expect(await page.getByTestId('chart-note').textContent()).toMatch(
			/ All channels: a churn score belongs to a customer, not to one of their channels\.$/
		);
		expect(await page.getByText('No data in this window yet').count()).toBe(0);
	});

	it('links the at-risk pages to the customers they count, in the page\'s segment', async () => {
		for (const [metric, sort] of [
			['at_risk_customers', 'risk'],
			['at_risk_revenue', 'value']
		]) {
			await page.goto(`${server.url}/metrics/${metric}?segment=vip`);
			const link = page.getByTestId('at-risk-link');
			expect(await link.textContent(), metric).toBe('Customers at risk (3) →');
			expect(await link.getAttribute('href'), metric).toBe(`/customers?risk=high&sort=${sort}&segment=vip`);
		}
		for (const [query, want] of [
			['', '8 current customers in the high risk band.'],
			['?segment=vip', '3 current customers in the high risk band in segment vip.']
		]) {
			await page.goto(`${server.url}/metrics/at_risk_customers${query}`);
			const tile = Number(await page.locator('[data-metric="at_risk_customers"] [data-testid="tile-value"]').textContent());
			await Promise.all([page.waitForURL(/\/customers\?risk=high/), page.getByRole('link', { name: /^Customers at risk/ }).click()]);
			const summary = (await page.getByTestId('customers-summary').textContent())!.replace(/\s+/g, ' ').trim();
			expect(summary, query).toBe(want);
			expect(Number(summary.split(' ')[0]), query).toBe(tile);
			expect(await page.locator('tbody tr').count(), query).toBe(tile);
			expect(await page.getByRole('combobox', { name: /^Risk/ }).inputValue()).toBe('high');
		}
		await page.screenshot({ path: join(ARTIFACTS, 'customers-at-risk.png'), fullPage: true });
	});

	it('ticks a response-time axis at round hours from zero and keeps every label inside the chart', async () => {
		await page.goto(`${server.url}/metrics/frt_median?window=7d`);
		const { y } = await axisLabels();
		expect(y.length).toBeGreaterThan(2);
		for (const t of y) expect(t.text).toMatch(/^\d+ h$/);
		expect(y.map((t) => t.text)).toContain('0 h');
		await page.screenshot({ path: join(ARTIFACTS, 'metric-page-frt.png'), fullPage: true });
		await page.goto(`${server.url}/metrics/churn_rate?window=30d`);
		await axisLabels(); // 15 dates two days apart, the last at the right edge
	});

	it('refuses an unknown segment on the Overview, the metric page and the API, listing the known ones', async () => {
		const want = 'segment: must be one of default, vip (got "VIP"; segments are case-sensitive)';
		for (const path of ['/?segment=VIP', '/metrics/csat?segment=VIP']) {
			const r = await page.goto(`${server.url}${path}`);
			expect(r?.status(), path).toBe(400);
			expect(await page.locator('body').textContent(), path).toContain(want);
			// The heading blames the address, not the server ("400 — something went wrong").
			expect(await page.locator('h1').textContent(), path).toBe('400 — this address has a parameter the page cannot use');
		}
		const api = await fetch(`${server.url}/api/v1/metrics?segment=VIP`, {
			headers: { authorization: `Bearer ${analystKey}` }
		});
		expect(api.status).toBe(400);
		expect(((await api.json()) as { error: string }).error).toBe(want);
	});
});
