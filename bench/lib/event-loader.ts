// POSTs events to /api/v1/events at a target rate in a few JSON batches per second, with a bounded
// number of requests in flight (a late batch is sent at once, so the loader catches up after a slow
// answer). With several in flight, `total` counts acknowledged events in the order the answers arrive.
import type { TileLatency } from './tile-latency';

const TYPES = ['visit', 'purchase', 'survey_csat', 'complaint', 'visit', 'praise'] as const;

export interface LoadOptions {
	url: string;
	ingestKey: string;
	rate: number;
	seconds: number;
	latency: TileLatency;
	batchesPerS?: number;
	customers?: number;
	/** Requests allowed in flight at once (default 1). */
	concurrency?: number;
	/** Stop sending once `seconds` have passed even if behind schedule (default: send every batch). */
	stopAtDeadline?: boolean;
	/** Updated as batches are answered, for progress reports during the run. */
	progress?: LoadResult;
	/** Called after every batch (e.g. to sample the server's memory). */
	afterBatch?: (batch: number) => void;
}

export interface LoadResult {
	events: number;
	seconds: number;
	/** Answers other than 200. */
	httpErrors: number;
	/** Requests that failed without an answer. */
	requestErrors: number;
	/** The first few failures (status and body, or the error and its cause), to tell them apart. */
	errorSamples?: string[];
}

export async function postAtRate(o: LoadOptions): Promise<LoadResult> {
	const perS = o.batchesPerS ?? 4;
	const perBatch = Math.round(o.rate / perS);
	const customers = o.customers ?? 5000;
	const batches = Math.round(o.seconds * perS);
	const t0 = Date.now();
	let next = 0;
	const p: LoadResult = o.progress ?? { events: 0, seconds: 0, httpErrors: 0, requestErrors: 0 };
	let seq = 0;
	const sample = (msg: string) => {
		p.errorSamples ??= [];
		if (p.errorSamples.length < 5) p.errorSamples.push(msg);
	};
	const sender = async () => {
		for (;;) {
			const b = next++;
			if (b >= batches) return;
			const due = t0 + (b * 1000) / perS;
			await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
			if (o.stopAtDeadline && Date.now() - t0 >= o.seconds * 1000) return;
			const now = new Date().toISOString();
			const batch = Array.from({ length: perBatch }, () => {
				seq += 1;
				const type = TYPES[seq % TYPES.length];
				return {
					event_id: `bench-${seq}`,
					customer_id: `c${seq % customers}`,
					occurred_at: now,
					channel: 'web',
					type,
					...(type === 'survey_csat' ? { rating: 1 + (seq % 5) } : {}),
					...(type === 'purchase' ? { value: 20 } : {})
				};
			});
			const at = Date.now();
			try {
				const r = await fetch(`${o.url}/api/v1/events`, {
					method: 'POST',
					headers: { authorization: `Bearer ${o.ingestKey}`, 'content-type': 'application/json' },
					body: JSON.stringify(batch)
				});
				if (r.ok) {
					p.events += perBatch;
					o.latency.acknowledged(at, p.events);
					await r.body?.cancel();
				} else {
					p.httpErrors += 1;
					sample(`${r.status} ${(await r.text()).slice(0, 200)}`);
				}
			} catch (e) {
				p.requestErrors += 1;
				const cause = (e as { cause?: unknown }).cause;
				sample(`after ${Date.now() - at} ms: ${String(e)}${cause ? ` (${String(cause)})` : ''}`);
			}
			p.seconds = (Date.now() - t0) / 1000;
			o.afterBatch?.(b);
		}
	};
	await Promise.all(Array.from({ length: o.concurrency ?? 1 }, () => sender()));
	p.seconds = (Date.now() - t0) / 1000;
	return p;
}
