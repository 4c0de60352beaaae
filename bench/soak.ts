// Soak: the built server (node build/index.js) with 500 SSE viewers on loopback while 2,000 events/s are
// POSTed for 10 minutes. Reports the server's memory at the start and end of the load (growth %),
// event-to-tile latency p50/p95, messages lost (gaps in each viewer's event ids), errors (answers other
// than 200, failed requests, SSE disconnects) and the server's CPU; prints a progress line per minute and
// one JSON line at the end with goal flags (memory growth < 10 %, nothing lost, no errors). Memory growth
// is judged warm (runs of 5+ minutes): mean RSS (server + its child processes, read every second) over
// minutes 2–3 against the mean over the last 2 minutes; the cold start reading (no data, no scoring child)
// and single readings (±100 MB around checkpoints) are printed too.
// Run: npm run bench:soak [-- --minutes 10 --clients 500 --rate 2000 --samples-out rss.csv]   (needs a build)
// --samples-out writes the per-second RSS readings (seconds, total MB, server MB) as CSV.
// The server reads the churn registry from CX_MODELS_DIR (default models/churn, which ships a champion, so
// the incremental scorer runs); CX_MODELS_DIR=<empty folder> npm run bench:soak measures without it.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startBenchServer, type BenchServer } from './lib/bench-server';
import { postAtRate, type LoadResult } from './lib/event-loader';
import { cpuPercent, percentile, readProcStats } from './lib/proc-stats';
import { newViewerStats, runViewer } from './lib/sse-client';
import { TileLatency } from './lib/tile-latency';

const { values } = parseArgs({
	options: {
		minutes: { type: 'string', default: '10' },
		clients: { type: 'string', default: '500' },
		rate: { type: 'string', default: '2000' },
		'samples-out': { type: 'string' }
	}
});
const MINUTES = Number(values.minutes);
const CLIENTS = Number(values.clients);
const RATE = Number(values.rate);
if (!(MINUTES > 0) || !(CLIENTS > 0) || !(RATE > 0)) {
	console.error('--minutes, --clients and --rate must be positive numbers');
	process.exit(2);
}
const GOAL_GROWTH_PCT = 10;
const PROGRESS_MS = Number(process.env.BENCH_PROGRESS_MS ?? 60_000);
const round1 = (x: number) => Math.round(x * 10) / 10;

let s: BenchServer | undefined;
try {
	s = await startBenchServer({ privateBuild: true });
	const srv = s;
	const pid = srv.pid;
	const latency = new TileLatency();
	const stats = newViewerStats();
	let stop = false;
	const viewers = Array.from({ length: CLIENTS }, () =>
		runViewer({ url: srv.url, token: srv.displayToken, latency, stats, running: () => !stop, reconnect: true })
	);
	await new Promise((r) => setTimeout(r, 3000));

	const start = readProcStats(pid);
	const t0 = Date.now();
	let rssMax = start.rssMb;
	// One RSS reading a second: a single reading swings by ±100 MB around checkpoints.
	const rssSamples: { s: number; mb: number; ownMb: number }[] = [];
	let rssAfterMinute1: number | null = null;
	let minute = 0;
	let minuteSamples = 0;
	let minuteStats = start;
	const sent: LoadResult = { events: 0, seconds: 0, httpErrors: 0, requestErrors: 0 };
	const progress = () => {
		const now = readProcStats(pid);
		minute += 1;
		const recent = latency.samples.slice(minuteSamples);
		minuteSamples = latency.samples.length;
		if (rssAfterMinute1 === null && Date.now() - t0 >= 60_000) rssAfterMinute1 = now.rssMb;
		console.log(
			`${Math.round((minute * PROGRESS_MS) / 1000)} s: rss ${Math.round(now.rssMb)} MB (server ${Math.round(now.ownRssMb)}, child processes ${Math.round(now.rssMb - now.ownRssMb)}), cpu ${cpuPercent(minuteStats, now, PROGRESS_MS / 1000)} %, ` +
				`events acknowledged ${sent.events} (${Math.round(sent.events / Math.max(1, sent.seconds))}/s), ` +
				`http errors ${sent.httpErrors}, request errors ${sent.requestErrors}, ` +
				`latency p50 ${percentile(recent, 0.5)} ms p95 ${percentile(recent, 0.95)} ms, tiles frames ${stats.tilesFrames}, ` +
				`lost ${stats.lost}, disconnects ${stats.disconnects}, connect errors ${stats.connectErrors}`
		);
		minuteStats = now;
	};
	const ticker = setInterval(() => {
		try {
			const now = readProcStats(pid);
			rssMax = Math.max(rssMax, now.rssMb);
			rssSamples.push({ s: (Date.now() - t0) / 1000, mb: now.rssMb, ownMb: now.ownRssMb });
			if (Date.now() - t0 >= (minute + 1) * PROGRESS_MS) progress();
		} catch {
			// The server is gone; the POSTs fail and the end reading reports it.
		}
	}, 1000);
	let load;
	try {
		// Two requests in flight (producers rarely wait for each other); the run ends on the clock.
		load = await postAtRate({
			url: srv.url,
			ingestKey: srv.ingestKey,
			rate: RATE,
			seconds: MINUTES * 60,
			latency,
			concurrency: 2,
			progress: sent,
			stopAtDeadline: true
		});
		// Let the last batches reach the tiles before the end reading.
		await new Promise((r) => setTimeout(r, 3000));
	} finally {
		clearInterval(ticker);
	}
	const end = readProcStats(pid);
	const wall = (Date.now() - t0) / 1000;
	stop = true;
	await srv.stop();
	s = undefined;
	await Promise.allSettled(viewers);

	const growth = ((end.rssMb - start.rssMb) / start.rssMb) * 100;
	// Warm memory: the server at start has no data, no scoring child and no cache yet, so flatness is
	// judged from the mean over minutes 2–3 to the mean over the last 2 minutes (runs of 5+ minutes).
	const mean = (from: number, to: number) => {
		const xs = rssSamples.filter((x) => x.s >= from && x.s < to).map((x) => x.mb);
		return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
	};
	const lastS = rssSamples.at(-1)?.s ?? 0;
	const warmStart = MINUTES >= 5 ? mean(60, 180) : null;
	const warmEnd = MINUTES >= 5 ? mean(lastS - 120, lastS + 1) : null;
	const warmGrowth = warmStart && warmEnd ? ((warmEnd - warmStart) / warmStart) * 100 : null;
	const growthJudged = warmGrowth ?? growth;
	const errors = load.httpErrors + load.requestErrors + stats.disconnects + stats.connectErrors;
	const result = {
		bench: 'soak',
		minutes: MINUTES,
		clients: CLIENTS,
		target_events_per_s: RATE,
		achieved_events_per_s: Math.round(load.events / load.seconds),
		events: load.events,
		server_rss_mb_start: Math.round(start.rssMb),
		server_rss_mb_after_1_min: rssAfterMinute1 === null ? null : Math.round(rssAfterMinute1),
		server_rss_mb_end: Math.round(end.rssMb),
		server_rss_mb_max: Math.round(rssMax),
		rss_growth_pct: round1(growth),
		rss_growth_after_1_min_pct: rssAfterMinute1 === null ? null : round1(((end.rssMb - rssAfterMinute1) / rssAfterMinute1) * 100),
		server_rss_mb_mean_minutes_2_3: warmStart === null ? null : Math.round(warmStart),
		server_rss_mb_mean_last_2_min: warmEnd === null ? null : Math.round(warmEnd),
		rss_growth_warm_pct: warmGrowth === null ? null : round1(warmGrowth),
		latency_ms_p50: percentile(latency.samples, 0.5),
		latency_ms_p95: percentile(latency.samples, 0.95),
		latency_samples: latency.samples.length,
		tiles_frames_received: stats.tilesFrames,
		messages_lost: stats.lost,
		http_errors: load.httpErrors,
		request_errors: load.requestErrors,
		error_samples: load.errorSamples ?? [],
		sse_disconnects: stats.disconnects,
		sse_connect_errors: stats.connectErrors,
		errors,
		server_cpu_percent: cpuPercent(start, end, wall),
		goal_rss_growth_pct: GOAL_GROWTH_PCT,
		goal_growth_judged_on: warmGrowth === null ? 'start to end' : 'mean of minutes 2-3 to mean of the last 2 minutes',
		goal_growth_met: growthJudged < GOAL_GROWTH_PCT,
		goal_lost_met: stats.lost === 0,
		goal_errors_met: errors === 0,
		goal_met: growthJudged < GOAL_GROWTH_PCT && stats.lost === 0 && errors === 0
	};
	if (values['samples-out']) {
		const lines = rssSamples.map((x) => `${x.s.toFixed(1)},${Math.round(x.mb)},${Math.round(x.ownMb)}`);
		writeFileSync(values['samples-out'], `seconds,rss_mb,server_rss_mb\n${lines.join('\n')}\n`);
	}
	console.log(JSON.stringify(result));
} finally {
	await s?.stop();
}
