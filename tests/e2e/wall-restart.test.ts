// An executive's wall runs for five minutes through a server restart: while the server is down it
// says the data is stale (never a login page), and it reconnects and updates by itself, without a
// reload, once the server is back on the same address with the same database.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { formatValue } from '../../src/lib/shared/format';
import { ARTIFACTS, launchBrowser } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { anEvent } from '../fixtures/events';
import { postEvents, startLiveServer, type LiveServer } from '../integration/live-server';

const TOTAL_MS = 5 * 60_000;
const OUTAGE_MS = 20_000;
const INGEST_EVERY_MS = 15_000;
/** What a browser logs when the server is gone; nothing else may reach the console. */
const EXPECTED_ERROR = /^Failed to load resource: net::ERR_(CONNECTION_REFUSED|CONNECTION_RESET|EMPTY_RESPONSE|INCOMPLETE_CHUNKED_ENCODING)\b/;

let s: LiveServer;
let restarted: TestServer | undefined;
let browser: Browser;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

beforeAll(async () => {
	s = await startLiveServer({ CX_TICK_MS: '250' });
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
	await restarted?.stop();
	await s?.stop();
});

/** Ingests one CSAT rating from a new customer and waits for the wall to show its effect. */
function anIngester(page: Page) {
	let sent = 0;
	let satisfied = 0;
	return async function ingestAndSeeTileChange(): Promise<number> {
		sent++;
		// Alternating 5 and 1 makes the CSAT share differ from its previous value after every ingest.
		const rating = sent % 2 === 1 ? 5 : 1;
		if (rating >= 4) satisfied++;
		const at = Date.now();
		const r = await postEvents(s, [anEvent().withCustomer(`exec-wall-${sent}`).withType('survey_csat').withRating(rating).at(new Date()).build()]);
		expect(r.status).toBe(200);
		// The wall rotates main (CSAT, active customers), support (CSAT) and retention (active customers).
		const expected = { csat: formatValue((100 * satisfied) / sent, 'percent'), active: formatValue(sent, 'count') };
		await page.waitForFunction(
			(x) => {
				const v = (m: string) => document.querySelector(`[data-metric="${m}"] [data-testid="tile-value"]`)?.textContent;
				return v('csat') === x.csat || v('active_customers') === x.active;
			},
			expected,
			{ timeout: 5000 }
		);
		return Date.now() - at;
	};
}

describe('wall through a server restart', () => {
	it('does its daily reload only once the server answers', async () => {
		const page = await browser.newPage();
		let loads = 0;
		let probes = 0;
		page.on('load', () => loads++);
		try {
			await page.clock.install();
			await page.goto(`${s.server.url}/wall/main?token=${encodeURIComponent(s.displayToken)}`);
			await page.locator('[data-live-state="open"]').waitFor({ timeout: 15_000 });
			expect(loads).toBe(1);

			// A day later the server is unreachable: no reload into the browser's error page.
			const wallPage = (u: URL) => u.pathname === '/wall/main';
			await page.route(wallPage, (r) => {
				probes++;
				return r.abort('connectionrefused');
			});
			await page.clock.fastForward('24:00:01');
			await expect.poll(() => probes, { timeout: 5000 }).toBe(1);
			await sleep(500);
			expect(loads).toBe(1);

			// Reachable again: the next try, a minute later, reloads.
			await page.unroute(wallPage);
			await page.clock.fastForward('01:01');
			await expect.poll(() => loads, { timeout: 10_000 }).toBe(2);
			await page.locator('[data-live-state="open"]').waitFor({ timeout: 15_000 });
		} finally {
			await page.close();
		}
	});

	it('keeps running for 5 minutes, shows the outage and recovers by itself', { timeout: TOTAL_MS + 120_000 }, async () => {
		const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
		const consoleErrors: string[] = [];
		const navigations: string[] = [];
		page.on('console', (m) => {
			if (m.type() === 'error') consoleErrors.push(m.text());
		});
		page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
		page.on('framenavigated', (f) => {
			if (f === page.mainFrame()) navigations.push(f.url());
		});
		let loads = 0;
		page.on('load', () => loads++);
		const wallUrl = `${s.server.url}/wall/main?token=${encodeURIComponent(s.displayToken)}`;
		const status = page.locator('[role="status"][data-live-state]');
		const started = Date.now();
		try {
			await page.goto(wallUrl);
			await page.locator('[data-live-state="open"]').waitFor({ timeout: 15_000 });
			// Survives only if the document is never reloaded.
			await page.evaluate(() => ((window as unknown as { wallMarker: number }).wallMarker = 1));

			const cdp = await page.context().newCDPSession(page);
			await cdp.send('Performance.enable');
			const heapUsed = async () => {
				await cdp.send('HeapProfiler.collectGarbage');
				const { metrics } = await cdp.send('Performance.getMetrics');
				return metrics.find((m) => m.name === 'JSHeapUsedSize')!.value;
			};
			const heapAtStart = await heapUsed();
			const ingest = anIngester(page);

			// Before the outage: a tile follows every ingest.
			while (Date.now() - started < 110_000) {
				expect(await ingest()).toBeLessThan(5000);
				await sleep(INGEST_EVERY_MS);
			}

			const stoppedAt = Date.now();
			await s.server.stop({ keepDir: true });
			await page.locator('[role="status"].stale', { hasText: /Stream interrupted — data is .+ old; reconnecting/ }).waitFor({ timeout: 40_000 });
			expect(await status.getAttribute('data-live-state')).not.toBe('open');
			expect(page.url()).toBe(wallUrl);
			await page.screenshot({ path: join(ARTIFACTS, 'wall-restart-outage.png') });
			await sleep(OUTAGE_MS - (Date.now() - stoppedAt));

			restarted = await startServer({ dir: s.server.dir, port: s.server.port, env: { CX_TICK_MS: '250' } });
			const back = Date.now();
			await page.locator('[data-live-state="open"]').waitFor({ timeout: 45_000 });
			expect(await page.locator('[role="status"].stale').count()).toBe(0);
			const reconnectMs = Date.now() - back;
			expect(await ingest()).toBeLessThan(5000);
			await page.screenshot({ path: join(ARTIFACTS, 'wall-restart-recovered.png') });

			// After the restart, until five minutes have passed.
			while (Date.now() - started < TOTAL_MS - INGEST_EVERY_MS) {
				await sleep(INGEST_EVERY_MS);
				expect(await ingest()).toBeLessThan(5000);
			}
			await sleep(TOTAL_MS - (Date.now() - started));
			expect(await status.getAttribute('data-live-state')).toBe('open');

			const heapAtEnd = await heapUsed();
			console.log(`wall restart: reconnected ${(reconnectMs / 1000).toFixed(1)} s after the server was back; JS heap ${(heapAtStart / 1e6).toFixed(1)} MB → ${(heapAtEnd / 1e6).toFixed(1)} MB`);
			expect(heapAtEnd).toBeLessThan(2 * heapAtStart);

			// No reload and no redirect to a login page (SvelteKit's own same-document history updates keep the URL).
			expect(loads).toBe(1);
			expect(await page.evaluate(() => (window as unknown as { wallMarker?: number }).wallMarker)).toBe(1);
			expect(new Set(navigations)).toEqual(new Set([wallUrl]));
			expect(consoleErrors.filter((e) => !EXPECTED_ERROR.test(e))).toEqual([]);
		} catch (e) {
			await page.screenshot({ path: join(ARTIFACTS, 'wall-restart-failure.png') });
			console.error(`console errors:\n${consoleErrors.join('\n')}\nserver output:\n${(restarted ?? s.server).output()}`);
			throw e;
		} finally {
			await page.close();
		}
	});
});
