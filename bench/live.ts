// Live fan-out under load: the built server (node build/index.js) with 200 SSE clients on loopback
// while 2,000 events/s are POSTed to /api/v1/events for 60 s. Event-to-tile latency = time from
// sending a batch to a client receiving a `tiles` frame whose 1 h event count includes that batch.
// Run: npm run bench:live   (BENCH_CLIENTS, BENCH_RATE, BENCH_SECONDS override; needs a build)
import { readFileSync } from 'node:fs';
import { SseReader, startLiveServer, type LiveServer } from '../tests/integration/live-server';
import type { TilesPayload } from '../src/lib/shared/live-events';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const RATE = Number(process.env.BENCH_RATE ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const BATCHES_PER_S = 4;
const TYPES = ['visit', 'purchase', 'survey_csat', 'complaint', 'visit', 'praise'] as const;

function procStats(pid: number): { cpuTicks: number; rssMb: number } {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return { cpuTicks: Number(f[11]) + Number(f[12]), rssMb: rss ? Number(rss[1]) / 1024 : 0 };
}

const pct = (xs: number[], q: number) => {
	if (!xs.length) return null;
	const s = [...xs].sort((a, b) => a - b);
	return Math.round(s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]);
};

let s: LiveServer | undefined;
try {
	s = await startLiveServer({ CX_TICK_MS: '250', CX_LOG_LEVEL: 'error' });
	const srv = s;
	const pid = srv.server.proc.pid!;
	const sent: { at: number; total: number }[] = [];
	const latencies: number[] = [];
	let lost = 0;
	let frames = 0;
	let stop = false;

	const client = async () => {
		const r = await fetch(`${srv.server.url}/api/v1/stream?window=1h&token=${encodeURIComponent(srv.displayToken)}`);
		const reader = new SseReader(r);
		let lastSeq = -1;
		let nextBatch = 0;
		try {
			while (!stop) {
				const e = await reader.next(30_000).catch(() => null);
				if (!e) break;
				// Every resumable event (tiles, alert, ...) carries the next id; a gap is a lost message.
				if (e.id) {
					const seq = Number(e.id.split('-')[1]);
					if (lastSeq >= 0 && seq > lastSeq + 1) lost += seq - lastSeq - 1;
					lastSeq = seq;
				}
				if (e.event !== 'tiles') continue;
				frames += 1;
				const set = (JSON.parse(e.data) as TilesPayload).sets['1h||'];
				const events = set?.tiles.find((t) => t.id === 'complaint_rate')?.counts.events ?? 0;
				const now = Date.now();
				while (nextBatch < sent.length && sent[nextBatch].total <= events) {
					latencies.push(now - sent[nextBatch].at);
					nextBatch += 1;
				}
			}
		} finally {
			await reader.close();
		}
	};
	const clients = Array.from({ length: CLIENTS }, () => client());
	await new Promise((r) => setTimeout(r, 2000));

	const before = procStats(pid);
	let rssMax = before.rssMb;
	const t0 = Date.now();
	let total = 0;
	let seq = 0;
	const perBatch = Math.round(RATE / BATCHES_PER_S);
	let postErrors = 0;
	for (let b = 0; b < SECONDS * BATCHES_PER_S; b++) {
		const due = t0 + (b * 1000) / BATCHES_PER_S;
		await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
		const now = new Date().toISOString();
		const batch = Array.from({ length: perBatch }, () => {
			seq += 1;
			const type = TYPES[seq % TYPES.length];
			return {
				event_id: `bench-${seq}`,
				customer_id: `c${seq % 5000}`,
				occurred_at: now,
				channel: 'web',
				type,
				...(type === 'survey_csat' ? { rating: 1 + (seq % 5) } : {}),
				...(type === 'purchase' ? { value: 20 } : {})
			};
		});
		const at = Date.now();
		const r = await fetch(`${srv.server.url}/api/v1/events`, {
			method: 'POST',
			headers: { authorization: `Bearer ${srv.ingestKey}`, 'content-type': 'application/json' },
			body: JSON.stringify(batch)
		});
		if (r.ok) {
			total += perBatch;
			sent.push({ at, total });
		} else postErrors += 1;
		await r.body?.cancel();
		rssMax = Math.max(rssMax, procStats(pid).rssMb);
	}
	const wall = (Date.now() - t0) / 1000;
	await new Promise((r) => setTimeout(r, 3000));
	const after = procStats(pid);
	stop = true;
	await srv.stop();
	s = undefined;
	await Promise.allSettled(clients);
	const result = {
		bench: 'live',
		clients: CLIENTS,
		target_events_per_s: RATE,
		achieved_events_per_s: Math.round(total / wall),
		seconds: SECONDS,
		post_errors: postErrors,
		latency_ms_p50: pct(latencies, 0.5),
		latency_ms_p95: pct(latencies, 0.95),
		latency_samples: latencies.length,
		tiles_frames_received: frames,
		messages_lost: lost,
		server_cpu_percent: Math.round(((after.cpuTicks - before.cpuTicks) / 100 / (wall + 3)) * 1000) / 10,
		server_rss_mb_max: Math.round(rssMax)
	};
	console.log(JSON.stringify(result));
} finally {
	await s?.stop();
}
