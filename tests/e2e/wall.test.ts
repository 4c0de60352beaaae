// A wall opened with a display token updates in place when events arrive, and a bad token gets a
// clear kiosk screen instead of a login form.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser } from 'playwright-core';
import { ARTIFACTS, launchBrowser } from '../helpers/browser';
import { anEvent } from '../fixtures/events';
import { postEvents, startLiveServer, type LiveServer } from '../integration/live-server';

let s: LiveServer;
let browser: Browser;

beforeAll(async () => {
	s = await startLiveServer({ CX_TICK_MS: '250' });
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
	await s?.stop();
});

describe('wall display', () => {
	it('shows the main board and updates the affected tile within 3 s of an ingest', async () => {
		const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
		await page.goto(`${s.server.url}/wall/main?token=${encodeURIComponent(s.displayToken)}`);
		const csat = page.locator('[data-metric="csat"] [data-testid="tile-value"]');
		await csat.waitFor({ timeout: 15_000 });
		await page.locator('[data-live-state="open"]').waitFor({ timeout: 15_000 });
		expect(await csat.textContent()).toBe('—');
		expect(await page.locator('text=Sign in').count()).toBe(0);

		const sent = Date.now();
		const r = await postEvents(s, [
			anEvent().withCustomer('wall-1').withType('survey_csat').withRating(5).at(new Date()).build(),
			anEvent().withCustomer('wall-2').withType('survey_csat').withRating(4).at(new Date()).build(),
			anEvent().withCustomer('wall-3').withType('survey_csat').withRating(1).at(new Date()).build()
		]);
		expect(r.status).toBe(200);
		await page.waitForFunction(
			() => document.querySelector('[data-metric="csat"] [data-testid="tile-value"]')?.textContent === '66.7 %',
			undefined,
			{ timeout: 3000 }
		);
		const latencyMs = Date.now() - sent;
		expect(latencyMs).toBeLessThan(3000);
		expect(await page.locator('[data-metric="active_customers"] [data-testid="tile-value"]').textContent()).toBe('3');
		await page.screenshot({ path: join(ARTIFACTS, 'wall-main.png') });
		await page.close();
	});

	it('shows "display token revoked or invalid" for a bad token, never a login prompt', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
		const resp = await page.goto(`${s.server.url}/wall/main?token=not-a-real-token`);
		expect(resp?.url()).not.toMatch(/login/);
		await page.locator('[data-testid="wall-denied"]').waitFor({ timeout: 10_000 });
		expect(await page.locator('[data-testid="wall-denied"] h1').textContent()).toMatch(/revoked or invalid/i);
		await page.screenshot({ path: join(ARTIFACTS, 'wall-denied.png') });
		await page.close();
	});
});
