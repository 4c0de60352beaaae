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
		// Active customers count distinct customers over the hour: their line is the hour as it read every
		// 2 minutes (none before), ending at the figure shown.
		await page.waitForFunction(
			() => /^Active customers trend over the window: from 0 to 3,/.test(document.querySelector('[data-metric="active_customers"] svg.spark')?.getAttribute('aria-label') ?? ''),
			undefined,
			{ timeout: 10_000 }
		);
		await page.screenshot({ path: join(ARTIFACTS, 'wall-main.png') });
		await page.close();
	});

	it('fills the screen without scrolling, every value on one line, at common screen sizes', async () => {
		// A long value: a first reply after 12.5 minutes (the median, from latency buckets, shows as e.g.
		// "12.3 min", which once wrapped onto two lines and pushed the second row off a 1080p screen).
		const now = Date.now();
		const r = await postEvents(s, [
			anEvent().withCustomer('wall-4').withType('support_opened').withTicket('wall-t1').at(new Date(now - 750_000)).build(),
			anEvent().withCustomer('wall-4').withType('support_reply').withTicket('wall-t1', 'agent-1').at(new Date(now)).build()
		]);
		expect(r.status).toBe(200);
		for (const [width, height] of [[1920, 1080], [1366, 768], [1280, 720], [3840, 2160]]) {
			const page = await browser.newPage({ viewport: { width, height } });
			await page.goto(`${s.server.url}/wall/main?token=${encodeURIComponent(s.displayToken)}`);
			await page.waitForFunction(
				() => /^\d+(\.\d)? min$/.test(document.querySelector('[data-metric="frt_median"] [data-testid="tile-value"]')?.textContent ?? ''),
				undefined,
				{ timeout: 15_000 }
			);
			const layout = await page.evaluate(() => ({
				scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
				values: [...document.querySelectorAll<HTMLElement>('[data-testid="tile-value"]')].map((v) => ({
					text: v.textContent,
					lines: Math.round(v.getBoundingClientRect().height / parseFloat(getComputedStyle(v).lineHeight)),
					clipped: v.scrollWidth > v.clientWidth + 1
				})),
				tilesInside: [...document.querySelectorAll('[data-metric]')].every((t) => t.getBoundingClientRect().bottom <= innerHeight)
			}));
			expect(layout.scroll, `${width}×${height}`).toEqual([width, height]);
			expect(layout.tilesInside, `${width}×${height}: every tile on screen`).toBe(true);
			expect(layout.values.length).toBe(8);
			for (const v of layout.values) expect(v, `${width}×${height}`).toMatchObject({ lines: 1, clipped: false });
			await page.close();
		}
	});

	it('shows the alert rules firing above the tiles, live, on one line however many fire, and still fits the screen', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
		await page.goto(`${s.server.url}/wall/main?token=${encodeURIComponent(s.displayToken)}`);
		await page.locator('[data-live-state="open"]').waitFor({ timeout: 15_000 });
		const strip = page.getByTestId('firing-alerts');
		expect(await strip.textContent()).toBe(''); // a wall says nothing while nothing fires
		const rules = `${s.server.url}/api/v1/alerts/rules`;
		const auth = { authorization: `Bearer ${s.analystKey}`, 'content-type': 'application/json' };
		const rule = (i: number, name: string) => ({ id: `wall-csat-${i}`, name, enabled: true, definition: { kind: 'metric', metric: 'csat', comparator: '<', threshold: 80 + i, pending_s: 0 } });
		// Five at once, with long names: a wall lists three on one line and counts the rest.
		const names = ['CSAT under 80 %', ...[1, 2, 3, 4].map((i) => `CSAT under ${80 + i} % for the whole customer base across every channel`)];
		for (const [i, name] of names.entries()) expect((await fetch(rules, { method: 'POST', headers: auth, body: JSON.stringify(rule(i, name)) })).status).toBe(201);
		await strip.getByText('+2 more').waitFor({ timeout: 5000 });
		expect(await strip.textContent()).toContain('▲ 5 metric alert rules firing');
		expect(await strip.textContent()).toContain('66.7 % (24 h)');
		expect(await strip.locator('li').evaluateAll((els) => new Set(els.map((e) => Math.round(e.getBoundingClientRect().top))).size)).toBe(1);
		const fits = await page.evaluate(() => ({
			scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
			tilesInside: [...document.querySelectorAll('[data-metric]')].every((t) => t.getBoundingClientRect().bottom <= innerHeight)
		}));
		expect(fits).toEqual({ scroll: [1280, 720], tilesInside: true });
		await page.screenshot({ path: join(ARTIFACTS, 'wall-firing.png') });
		for (const i of names.keys()) expect((await fetch(`${rules}/wall-csat-${i}`, { method: 'DELETE', headers: auth })).status).toBe(204);
		await strip.locator('li').first().waitFor({ state: 'detached', timeout: 5000 });
		await page.close();
	});

	// Last: its old ratings change the 24-hour CSAT the firing-rules test reads.
	it('draws a sparse 24-hour series as a series: gaps bridged by a dashed line, a real zero solid', async () => {
		const now = Date.now();
		const h = 3600_000;
		const csat = (c: string, rating: number, at: number) => anEvent().withCustomer(c).withType('survey_csat').withRating(rating).at(new Date(at)).build();
		// 100 % then 0 % in the next half hour (a real drop to zero), nothing for 11 hours, 100 %, nothing
		// until the ratings of the first test (66.7 %, minutes ago): 4 of the 48 half-hours have data.
		const r = await postEvents(s, [csat('sp-1', 5, now - 22 * h), csat('sp-2', 1, now - 21.5 * h), csat('sp-3', 5, now - 10 * h)]);
		expect(r.status).toBe(200);
		// The main board's token opens the boards of its rotation; support shows the last 24 hours.
		const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
		await page.goto(`${s.server.url}/wall/support?token=${encodeURIComponent(s.displayToken)}`);
		// The label and the paths are read from one sparkline in one go: the tile set is redrawn every tick,
		// and two separate reads once straddled a redraw (the second found no sparkline).
		const read = await page.waitForFunction(
			() => {
				const svg = document.querySelector('[data-metric="csat"] svg.spark');
				const label = svg?.getAttribute('aria-label') ?? '';
				if (!svg || !/data in 4 of 48 periods/.test(label)) return null;
				const paths = [...svg.querySelectorAll('path')].map((e) => ({ cls: e.getAttribute('class'), d: e.getAttribute('d') ?? '', dash: e.getAttribute('stroke-dasharray') }));
				return { label, paths };
			},
			undefined,
			{ timeout: 15_000 }
		);
		const { label, paths: d } = (await read.jsonValue())!;
		expect(label).toMatch(/^CSAT trend over the window: from 100 % to 66\.7 %, lowest 0 %, highest 100 %/);
		const bridges = d.find((p) => p.cls === 'bridges');
		// One dashed bridge per gap: 0 % → 100 % across 11 hours, 100 % → 66.7 % across 10.
		expect(bridges?.dash).toBeTruthy();
		expect(bridges?.d.match(/M/g)).toHaveLength(2);
		// The drop to zero is part of the solid trend (a line from the top of the scale to its bottom), not a gap.
		const trend = d.find((p) => p.cls === null && !p.d.includes('h0.01'));
		const solid = trend?.d.match(/M[\d.]+,([\d.]+)L[\d.]+,([\d.]+)/);
		expect(solid && [Number(solid[1]), Number(solid[2])]).toEqual([3, 57]);
		await page.locator('[data-metric="csat"]').screenshot({ path: join(ARTIFACTS, 'wall-sparse-sparkline.png') });
		await page.screenshot({ path: join(ARTIFACTS, 'wall-sparse-board.png') });
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

	it('tells an address without a token how a wall is opened, not that a token was revoked', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
		const resp = await page.goto(`${s.server.url}/wall/main`);
		expect(resp?.url()).not.toMatch(/login/);
		const denied = page.locator('[data-testid="wall-denied"]');
		await denied.waitFor({ timeout: 10_000 });
		expect(await denied.locator('h1').textContent()).toMatch(/^\s*This wall needs a display link\s*$/);
		expect(await denied.textContent()).not.toMatch(/revoked/i);
		expect(await denied.textContent()).toContain('Settings → Display tokens');
		expect(await denied.getByRole('link', { name: 'sign in' }).getAttribute('href')).toBe('/login?next=%2Fwall%2Fmain');
		await page.close();
	});
});
