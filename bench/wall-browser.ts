// Wall page in the browser: the built server (node build/index.js) on a temp database with the demo world
// streaming (fast ticker, high demo rate, so tiles and sparklines change every tick), and one wall
// (/wall/<board>?token=…, 1920×1080) open in Debian's Chromium for --minutes (default 20), rotating through the
// board's playlist (`main` rotates through main, support and retention every 30 s). Every 30 s it collects
// garbage and reads the page's live JS heap, DOM nodes, event listeners and documents through the DevTools
// protocol, plus, from counters the bench puts into the page, the SSE frames received, EventSources open
// and timers pending. With --restarts N the server is stopped N times for --down-seconds (default 60) and
// started again on the same port and database: the wall must reconnect by itself each time.
// Prints a progress line per sample and one JSON line at the end. Goal: heap growth < 10 % from minute 2 to
// the end, on the board shown at minute 2 (the second half's growth is reported too); DOM nodes, listeners,
// open EventSources and pending timers not growing (compared board by board: the boards have different
// tiles); every restart reconnected; no console errors (failed requests while the server is down are counted
// apart). The frame rate is the server's: the ticker recomputes the three windows as fast as it can.
// Run: npm run bench:wall [-- --minutes 20 --board main --restarts 3 --down-seconds 60 --rate 200
//      --heap-snapshots DIR]   (needs a build; --heap-snapshots writes DIR/minute-2, half-time and end
//      .heapsnapshot and reports what grew between them by kind: compiled code, object shapes, JS objects,
//      strings, the browser's native objects; DevTools → Memory → Load compares them in detail)
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CDPSession, Page } from 'playwright-core';
import { launchBrowser } from '../tests/helpers/browser';
import { LIVE_EVENT_NAMES } from '../src/lib/shared/live-events';
import { startBenchServer, type BenchServer } from './lib/bench-server';
import { compareHeapSummaries, summarizeHeapSnapshot } from './lib/heap-snapshot';

const { values } = parseArgs({
	options: {
		minutes: { type: 'string', default: '20' },
		board: { type: 'string', default: 'main' },
		restarts: { type: 'string', default: '0' },
		'down-seconds': { type: 'string', default: '60' },
		rate: { type: 'string', default: '200' },
		'sample-seconds': { type: 'string', default: '30' },
		'heap-snapshots': { type: 'string' }
	}
});
const MINUTES = Number(values.minutes);
const RESTARTS = Number(values.restarts);
const DOWN_S = Number(values['down-seconds']);
const RATE = Number(values.rate);
const SAMPLE_S = Number(values['sample-seconds']);
const BOARD = values.board ?? 'main';
if (!(MINUTES >= 3) || !(RATE > 0) || !(SAMPLE_S > 0) || !(DOWN_S >= 0) || !Number.isInteger(RESTARTS) || RESTARTS < 0) {
	console.error('--minutes must be at least 3 (the baseline is minute 2), --rate and --sample-seconds positive, --restarts a whole number ≥ 0, --down-seconds ≥ 0');
	process.exit(2);
}
const GOAL_HEAP_GROWTH_PCT = 10;
const BASELINE_S = 120;
// A sample may differ from the same board's baseline by a tile's worth of markup (a secondary line, a
// sparkline with or without dashed bridges); a leak grows without bound and passes this within minutes.
const NODE_TOLERANCE = 40;
const LISTENER_TOLERANCE = 4;
const TICK_MS = 250;
const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs in the page before its own scripts: counts SSE frames per event name, EventSources opened and closed,
 * and timers pending (timeouts not yet fired, intervals not cleared). The app is not changed for the bench.
 */
const PROBE = `((names) => {
	const probe = { frames: {}, opened: 0, closed: 0, timeouts: new Set(), intervals: new Set() };
	window.__wallProbe = probe;
	const ES = window.EventSource;
	class CountingEventSource extends ES {
		constructor(url, init) {
			super(url, init);
			probe.opened++;
			for (const name of names) {
				super.addEventListener(name, () => (probe.frames[name] = (probe.frames[name] || 0) + 1));
			}
		}
		close() {
			if (this.readyState !== 2) probe.closed++;
			super.close();
		}
	}
	window.EventSource = CountingEventSource;
	const st = window.setTimeout, ct = window.clearTimeout, si = window.setInterval, ci = window.clearInterval;
	window.setTimeout = function (fn, ms, ...args) {
		const id = st.call(window, (...a) => { probe.timeouts.delete(id); if (typeof fn === 'function') fn(...a); }, ms, ...args);
		probe.timeouts.add(id);
		return id;
	};
	window.clearTimeout = function (id) { probe.timeouts.delete(id); return ct.call(window, id); };
	window.setInterval = function (...a) { const id = si.apply(window, a); probe.intervals.add(id); return id; };
	window.clearInterval = function (id) { probe.intervals.delete(id); return ci.call(window, id); };
})(${JSON.stringify(LIVE_EVENT_NAMES)});`;

interface PageProbe {
	frames: Record<string, number>;
	eventSourcesOpen: number;
	eventSourcesOpened: number;
	timeouts: number;
	intervals: number;
	board: string;
	liveState: string | null;
	tiles: number;
	firingShown: number;
}

interface Sample extends PageProbe {
	s: number;
	heapMb: number;
	nodes: number;
	listeners: number;
	documents: number;
	serverUp: boolean;
}

async function readProbe(page: Page): Promise<PageProbe> {
	return page.evaluate(() => {
		const p = (window as unknown as { __wallProbe: { frames: Record<string, number>; opened: number; closed: number; timeouts: Set<number>; intervals: Set<number> } }).__wallProbe;
		return {
			frames: { ...p.frames },
			eventSourcesOpen: p.opened - p.closed,
			eventSourcesOpened: p.opened,
			timeouts: p.timeouts.size,
			intervals: p.intervals.size,
			board: document.querySelector('header h1')?.textContent ?? '',
			liveState: document.querySelector('[data-live-state]')?.getAttribute('data-live-state') ?? null,
			tiles: document.querySelectorAll('[data-metric]').length,
			firingShown: document.querySelectorAll('[data-testid="firing-alerts"] li').length
		};
	});
}

async function metrics(cdp: CDPSession) {
	// Twice: what one collection frees (detached DOM, closures) may hold more that only the next one frees.
	await cdp.send('HeapProfiler.collectGarbage');
	await cdp.send('HeapProfiler.collectGarbage');
	const { metrics: m } = await cdp.send('Performance.getMetrics');
	const get = (name: string) => m.find((x) => x.name === name)?.value ?? 0;
	return {
		heapMb: get('JSHeapUsedSize') / 1024 / 1024,
		nodes: get('Nodes'),
		listeners: get('JSEventListeners'),
		documents: get('Documents')
	};
}

async function heapSnapshot(cdp: CDPSession, file: string) {
	const out = createWriteStream(file);
	const onChunk = (e: { chunk: string }) => out.write(e.chunk);
	cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
	await cdp.send('HeapProfiler.collectGarbage');
	await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
	cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
	await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

const totalFrames = (f: Record<string, number>) => Object.values(f).reduce((a, b) => a + b, 0);

let s: BenchServer | undefined;
let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
try {
	s = await startBenchServer({
		privateBuild: true,
		env: {
			CX_DEMO: 'on',
			CX_DEMO_RATE: String(RATE),
			// A smaller world than the default seeds in seconds; the tiles still have every window's history.
			CX_DEMO_CUSTOMERS: '2000',
			CX_DEMO_DAYS: '35',
			CX_TICK_MS: String(TICK_MS),
			CX_LOG_LEVEL: 'info'
		}
	});
	const srv = s;
	// The live demo starts once the history is seeded; before that the tiles would not move every tick.
	const seedDeadline = Date.now() + 300_000;
	while (!/demo: seeded \d+ customers/.test(srv.output())) {
		if (Date.now() > seedDeadline) throw new Error(`demo not seeded after 5 min:\n${srv.output().slice(-2000)}`);
		await sleep(500);
	}
	await sleep(3000);

	browser = await launchBrowser();
	const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
	const page = await context.newPage();
	await page.addInitScript(PROBE);
	let serverUp = true;
	const consoleErrors: string[] = [];
	const outageErrors: string[] = [];
	const noteError = (text: string) => {
		// Requests refused while the server is down (and its first moments back) are the outage itself.
		if (!serverUp || /ERR_CONNECTION_REFUSED|ERR_EMPTY_RESPONSE|503|ERR_INCOMPLETE_CHUNKED/.test(text)) outageErrors.push(text);
		else consoleErrors.push(text);
	};
	page.on('console', (m) => {
		if (m.type() === 'error') noteError(m.text());
	});
	page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
	const wallUrl = `${srv.url}/wall/${encodeURIComponent(BOARD)}?token=${encodeURIComponent(srv.displayToken)}`;
	const resp = await page.goto(wallUrl, { waitUntil: 'load' });
	if (!resp?.ok()) throw new Error(`GET /wall/${BOARD} answered ${resp?.status()}`);
	await page.waitForSelector('[data-live-state="open"]', { timeout: 30_000 });

	const cdp = await context.newCDPSession(page);
	await cdp.send('Performance.enable');
	const t0 = Date.now();
	const elapsed = () => (Date.now() - t0) / 1000;
	const samples: Sample[] = [];
	const sample = async () => {
		const m = await metrics(cdp);
		const p = await readProbe(page);
		const x: Sample = { s: Math.round(elapsed()), ...m, ...p, serverUp };
		samples.push(x);
		console.log(
			`${x.s} s: heap ${x.heapMb.toFixed(2)} MB, nodes ${x.nodes}, listeners ${x.listeners}, documents ${x.documents}, ` +
				`frames ${totalFrames(x.frames)} (tiles ${x.frames.tiles ?? 0}), EventSources open ${x.eventSourcesOpen} (opened ${x.eventSourcesOpened}), ` +
				`timeouts ${x.timeouts}, intervals ${x.intervals}, board "${x.board}" (${x.tiles} tiles, ${x.firingShown} firing rules listed), stream ${x.liveState}${serverUp ? '' : ', server down'}, ` +
				`console errors ${consoleErrors.length}`
		);
	};

	// Restarts spread evenly between the baseline and the end, each followed by at least 2 minutes of running.
	const restartAt = Array.from({ length: RESTARTS }, (_, i) => BASELINE_S + ((i + 1) * (MINUTES * 60 - BASELINE_S)) / (RESTARTS + 1));
	const reconnects: { at_s: number; down_s: number; reconnected: boolean; seconds_to_frames: number | null }[] = [];
	const runRestart = async (at: number) => {
		const before = await readProbe(page);
		serverUp = false;
		const downStart = Date.now();
		await srv.restart(DOWN_S * 1000);
		serverUp = true;
		const back = Date.now();
		// Reconnected = tiles frames arrive again and the status bar says live.
		let seconds: number | null = null;
		const deadline = back + 120_000;
		while (Date.now() < deadline) {
			const p = await readProbe(page);
			if ((p.frames.tiles ?? 0) > (before.frames.tiles ?? 0) && p.liveState === 'open') {
				seconds = round1((Date.now() - back) / 1000);
				break;
			}
			await sleep(250);
		}
		reconnects.push({ at_s: Math.round(at), down_s: round1((back - downStart) / 1000), reconnected: seconds !== null, seconds_to_frames: seconds });
		console.log(`restart at ${Math.round(at)} s: down ${round1((back - downStart) / 1000)} s, ${seconds === null ? 'NOT reconnected within 120 s' : `frames again ${seconds} s after the server was back`}`);
	};

	let nextSample = SAMPLE_S;
	let restartIdx = 0;
	let restartRun: Promise<void> | null = null;
	const snapDir = values['heap-snapshots'];
	if (snapDir) await mkdir(snapDir, { recursive: true });
	const snapshots: { name: string; file: string }[] = [];
	const snapshot = async (name: string) => {
		if (!snapDir) return;
		const file = join(snapDir, `${name}.heapsnapshot`);
		await heapSnapshot(cdp, file);
		snapshots.push({ name, file });
	};
	const halfS = (BASELINE_S + MINUTES * 60) / 2;
	let halfTaken = false;
	while (elapsed() < MINUTES * 60) {
		if (restartIdx < restartAt.length && elapsed() >= restartAt[restartIdx] && !restartRun) {
			const at = restartAt[restartIdx++];
			restartRun = runRestart(at).finally(() => (restartRun = null));
		}
		if (elapsed() >= nextSample) {
			nextSample += SAMPLE_S;
			await sample();
			const prev = samples.at(-2)?.s ?? 0;
			const now = samples.at(-1)!.s;
			if (prev < BASELINE_S && now >= BASELINE_S) await snapshot('minute-2');
			// Later snapshots and the end reading on the board of minute 2: the boards hold different tiles.
			const onBaseBoard = samples.at(-1)!.board === samples.find((x) => x.s >= BASELINE_S)?.board && serverUp;
			if (!halfTaken && now >= halfS && onBaseBoard) {
				halfTaken = true;
				await snapshot('half-time');
			}
		}
		await sleep(250);
	}
	await restartRun;
	const baseBoard = samples.find((x) => x.s >= BASELINE_S)!.board;
	// A full round of the rotation at most (3 boards × 30 s for `main`).
	const boardDeadline = Date.now() + 150_000;
	while ((await readProbe(page)).board !== baseBoard && Date.now() < boardDeadline) await sleep(500);
	await sleep(2000);
	await sample();
	await snapshot('end');
	const summaries = snapshots.map((x) => ({ name: x.name, summary: summarizeHeapSnapshot(x.file) }));
	const heapSnapshotGrowth = summaries.slice(1).map((x, i) => ({
		from: summaries[i].name,
		to: x.name,
		...compareHeapSummaries(summaries[i].summary, x.summary)
	}));

	const base = samples.find((x) => x.s >= BASELINE_S)!;
	const end = samples.at(-1)!;
	// Nodes, listeners and timers compared board by board, and with as many firing rules listed: the first
	// reading of each from minute 2 on against its last (the boards have different tiles, and a rule that
	// starts firing adds its line to the wall, so either changes the counts by itself).
	const keyOf = (x: Sample) => `${x.board} | ${x.firingShown} firing`;
	const boards = [...new Set(samples.filter((x) => x.s >= BASELINE_S && x.serverUp && x.liveState === 'open').map(keyOf))];
	const perBoard = boards.map((b) => {
		const xs = samples.filter((x) => x.s >= BASELINE_S && keyOf(x) === b && x.serverUp && x.liveState === 'open');
		const first = xs[0];
		const last = xs.at(-1) ?? first;
		return {
			board: b,
			samples: xs.length,
			nodes: [first.nodes, last.nodes],
			listeners: [first.listeners, last.listeners],
			timeouts: [first.timeouts, last.timeouts],
			intervals: [first.intervals, last.intervals]
		};
	});
	// The boards differ by ~0.1 MB of heap (3 %), so growth is judged on the board shown at minute 2: its last
	// reading (with the server up) against its minute-2 reading. The second half alone tells whether the heap
	// levelled off once the JIT had compiled what runs every tick.
	const growthPct = (from: Sample, to: Sample) => ((to.heapMb - from.heapMb) / from.heapMb) * 100;
	const sameBoard = samples.filter((x) => x.board === base.board && x.serverUp && x.liveState === 'open');
	const baseEnd = sameBoard.at(-1) ?? end;
	const baseHalf = sameBoard.find((x) => x.s >= halfS) ?? baseEnd;
	const heapGrowth = growthPct(base, baseEnd);
	const heapGrowthSecondHalf = growthPct(baseHalf, baseEnd);
	const nodesFlat = perBoard.every((b) => b.nodes[1] <= b.nodes[0] + NODE_TOLERANCE);
	const listenersFlat = perBoard.every((b) => b.listeners[1] <= b.listeners[0] + LISTENER_TOLERANCE);
	const timersFlat = perBoard.every((b) => b.intervals[1] <= b.intervals[0] && b.timeouts[1] <= b.timeouts[0] + 3);
	const eventSourcesFlat = end.eventSourcesOpen <= 1;
	const reconnectsMet = reconnects.every((r) => r.reconnected);
	const result = {
		bench: 'wall-browser',
		minutes: MINUTES,
		board: BOARD,
		tick_ms: TICK_MS,
		demo_events_per_s: RATE,
		restarts: RESTARTS,
		samples: samples.length,
		heap_mb_minute_2: round2(base.heapMb),
		heap_mb_end: round2(end.heapMb),
		heap_mb_max: round2(Math.max(...samples.map((x) => x.heapMb))),
		heap_growth_judged_on: `"${base.board}" at ${base.s} s and ${baseEnd.s} s`,
		heap_mb_judged_end: round2(baseEnd.heapMb),
		heap_growth_pct: round1(heapGrowth),
		heap_growth_second_half_pct: round1(heapGrowthSecondHalf),
		nodes_minute_2: base.nodes,
		nodes_end: end.nodes,
		listeners_minute_2: base.listeners,
		listeners_end: end.listeners,
		documents_end: end.documents,
		firing_rules_listed_minute_2: base.firingShown,
		firing_rules_listed_end: end.firingShown,
		per_board: perBoard,
		sse_frames: totalFrames(end.frames),
		sse_frames_by_name: end.frames,
		tiles_frames_per_s: round1((end.frames.tiles ?? 0) / elapsed()),
		event_sources_open_end: end.eventSourcesOpen,
		event_sources_opened: end.eventSourcesOpened,
		timeouts_pending_end: end.timeouts,
		intervals_end: end.intervals,
		reconnects,
		heap_snapshot_growth: heapSnapshotGrowth,
		console_errors: consoleErrors.length,
		console_error_samples: [...new Set(consoleErrors)].slice(0, 5),
		outage_request_errors: outageErrors.length,
		goal_heap_growth_pct: GOAL_HEAP_GROWTH_PCT,
		goal_heap_met: heapGrowth < GOAL_HEAP_GROWTH_PCT,
		goal_heap_second_half_met: heapGrowthSecondHalf < GOAL_HEAP_GROWTH_PCT,
		goal_nodes_met: nodesFlat,
		goal_listeners_met: listenersFlat,
		goal_timers_met: timersFlat,
		goal_event_sources_met: eventSourcesFlat,
		goal_reconnects_met: reconnectsMet,
		goal_errors_met: consoleErrors.length === 0,
		goal_met: heapGrowth < GOAL_HEAP_GROWTH_PCT && nodesFlat && listenersFlat && timersFlat && eventSourcesFlat && reconnectsMet && consoleErrors.length === 0
	};
	console.log(JSON.stringify(result));
} finally {
	await browser?.close();
	await s?.stop();
}
