// After a server restart the wall's stream is back seconds before its first fresh figures: in between it
// must not say "Live" over the figures from before the outage (QA, 2026-12-07).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, launchBrowser } from '../helpers/browser';
import { startServer, type TestServer } from '../helpers/server';
import { startLiveServer, type LiveServer } from '../integration/live-server';

let s: LiveServer;
let restarted: TestServer | undefined;
let browser: Browser;

beforeAll(async () => {
	s = await startLiveServer({ CX_TICK_MS: '250' });
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
	await restarted?.stop();
	await s?.stop();
});

/** One look at the status line, taken at each change to it. */
interface Seen {
	state: string | null;
	text: string;
	/** The figures' time the line names ("updated …" or "last update …"). */
	at: string | null;
	/** Everything it says sits in an aria-live="off" part: screen readers do not hear it. */
	quiet: boolean;
}

describe('wall after a server restart', () => {
	it('says it waits for fresh figures until they come, then Live', async () => {
		const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
		try {
			await page.goto(`${s.server.url}/wall/main?token=${encodeURIComponent(s.displayToken)}`);
			const live = page.locator('[role="status"][data-live-state="open"]');
			await live.waitFor({ timeout: 15_000 });
			const before = (await live.locator('time').getAttribute('datetime'))!;
			// Every state the line passes through, however briefly (the wait can be a fraction of a second here).
			await page.evaluate(() => {
				const seen: Seen[] = [];
				(window as unknown as { seen: Seen[] }).seen = seen;
				const look = () => {
					const el = document.querySelector<HTMLElement>('[role="status"][data-live-state]');
					if (!el) return;
					const off = [...el.querySelectorAll<HTMLElement>('[aria-live="off"]')].map((e) => e.innerText).join('');
					const now = { state: el.dataset.liveState ?? null, text: el.innerText.trim(), at: el.querySelector('time')?.getAttribute('datetime') ?? null, quiet: off.trim() === el.innerText.trim() };
					const last = seen.at(-1);
					if (!last || last.state !== now.state || last.at !== now.at || last.text.split(' ')[0] !== now.text.split(' ')[0]) seen.push(now);
				};
				new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
			});

			await s.server.stop({ keepDir: true });
			await page.locator('[role="status"][data-live-state="connecting"]').waitFor({ timeout: 30_000 });
			restarted = await startServer({ dir: s.server.dir, port: s.server.port, env: { CX_TICK_MS: '250' } });
			await page.locator('[role="status"][data-live-state="open"]').waitFor({ timeout: 45_000 });
			await page.screenshot({ path: join(ARTIFACTS, 'wall-reconnect-live.png') });

			const seen = await page.evaluate(() => (window as unknown as { seen: Seen[] }).seen);
			const back = seen.slice(seen.findLastIndex((x) => x.state === 'connecting') + 1);
			// Open again, the figures on screen still from before the outage: waiting, in words, unannounced.
			expect(back[0], JSON.stringify(seen)).toMatchObject({ state: 'waiting', at: before, quiet: true });
			expect(back[0].text).toMatch(/^Reconnected · waiting for fresh figures \(last update \d\d:\d\d:\d\d [^)]+\)$/);
			// Live only with figures computed after the restart.
			const firstLive = back.find((x) => x.state === 'open');
			expect(firstLive, JSON.stringify(seen)).toBeDefined();
			expect(firstLive!.text).toMatch(/^Live · updated /);
			expect(Date.parse(firstLive!.at!)).toBeGreaterThan(Date.parse(before));
			expect(back.filter((x) => x.state === 'open' && x.at === before)).toEqual([]);
		} finally {
			await page.close();
		}
	});
});
