// One benchmark SSE viewer of /api/v1/stream (display token, window=1h): counts frames, lost messages
// (gaps in the resumable ids `${boot}-${seq}`), disconnects, and feeds tiles frames to TileLatency.
// With `reconnect`, a dropped stream is reopened with Last-Event-ID, as the browser client does.
import { SseReader } from '../../tests/integration/live-server';
import type { TileLatency } from './tile-latency';

export interface ViewerStats {
	frames: number;
	tilesFrames: number;
	lost: number;
	/** Streams that ended or stalled (30 s without a frame) while the benchmark was running. */
	disconnects: number;
	/** Connection attempts that failed or answered other than 200. */
	connectErrors: number;
}

export function newViewerStats(): ViewerStats {
	return { frames: 0, tilesFrames: 0, lost: 0, disconnects: 0, connectErrors: 0 };
}

export interface ViewerOptions {
	url: string;
	token: string;
	latency: TileLatency;
	stats: ViewerStats;
	running: () => boolean;
	reconnect?: boolean;
	stallMs?: number;
}

export async function runViewer(o: ViewerOptions): Promise<void> {
	let lastId: string | null = null;
	let lastSeq = -1;
	let cursor = 0;
	while (o.running()) {
		let r: Response;
		try {
			r = await fetch(`${o.url}/api/v1/stream?window=1h&token=${encodeURIComponent(o.token)}`, {
				headers: lastId ? { 'last-event-id': lastId } : {}
			});
		} catch {
			if (!o.running()) return;
			o.stats.connectErrors += 1;
			if (!o.reconnect) return;
			await new Promise((res) => setTimeout(res, 1000));
			continue;
		}
		if (r.status !== 200) {
			o.stats.connectErrors += 1;
			await r.body?.cancel();
			if (!o.reconnect) return;
			await new Promise((res) => setTimeout(res, 1000));
			continue;
		}
		const reader = new SseReader(r);
		try {
			for (;;) {
				const e = await reader.next(o.stallMs ?? 30_000).catch(() => null);
				if (!e) break;
				o.stats.frames += 1;
				if (e.id) {
					const seq = Number(e.id.split('-')[1]);
					if (lastSeq >= 0 && seq > lastSeq + 1) o.stats.lost += seq - lastSeq - 1;
					lastSeq = Math.max(lastSeq, seq);
					lastId = e.id;
				}
				if (e.event !== 'tiles') continue;
				o.stats.tilesFrames += 1;
				cursor = o.latency.observe(cursor, o.latency.eventsIn(e.id, e.data), Date.now());
			}
		} finally {
			await reader.close();
		}
		if (!o.running()) return;
		o.stats.disconnects += 1;
		if (!o.reconnect) return;
	}
}
