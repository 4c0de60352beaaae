// Live fan-out under load: the built server (node build/index.js) with 200 SSE clients on loopback
// while 2,000 events/s are POSTed to /api/v1/events for 60 s. Event-to-tile latency = time from
// sending a batch to a client receiving a `tiles` frame whose 1 h event count includes that batch.
// Run: npm run bench:live   (BENCH_CLIENTS, BENCH_RATE, BENCH_SECONDS override; needs a build)
import { startBenchServer, type BenchServer } from './lib/bench-server';
import { postAtRate } from './lib/event-loader';
import { cpuPercent, percentile, readProcStats } from './lib/proc-stats';
import { newViewerStats, runViewer } from './lib/sse-client';
import { TileLatency } from './lib/tile-latency';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const RATE = Number(process.env.BENCH_RATE ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);

let s: BenchServer | undefined;
try {
	s = await startBenchServer();
	const srv = s;
	const pid = srv.pid;
	const latency = new TileLatency();
	const stats = newViewerStats();
	let stop = false;
	const clients = Array.from({ length: CLIENTS }, () =>
		runViewer({ url: srv.url, token: srv.displayToken, latency, stats, running: () => !stop })
	);
	await new Promise((r) => setTimeout(r, 2000));

	const before = readProcStats(pid);
	let rssMax = before.rssMb;
	const load = await postAtRate({
		url: srv.url,
		ingestKey: srv.ingestKey,
		rate: RATE,
		seconds: SECONDS,
		latency,
		afterBatch: () => (rssMax = Math.max(rssMax, readProcStats(pid).rssMb))
	});
	await new Promise((r) => setTimeout(r, 3000));
	const after = readProcStats(pid);
	stop = true;
	await srv.stop();
	s = undefined;
	await Promise.allSettled(clients);
	const result = {
		bench: 'live',
		clients: CLIENTS,
		target_events_per_s: RATE,
		achieved_events_per_s: Math.round(load.events / load.seconds),
		seconds: SECONDS,
		post_errors: load.httpErrors + load.requestErrors,
		latency_ms_p50: percentile(latency.samples, 0.5),
		latency_ms_p95: percentile(latency.samples, 0.95),
		latency_samples: latency.samples.length,
		tiles_frames_received: stats.tilesFrames,
		messages_lost: stats.lost,
		server_cpu_percent: cpuPercent(before, after, load.seconds + 3),
		server_rss_mb_max: Math.round(rssMax)
	};
	console.log(JSON.stringify(result));
} finally {
	await s?.stop();
}
