// Shared by the live/SSE integration and wall e2e tests: a real server whose database already holds
// an ingest key, an analyst key and a display token for board `main`, plus a small SSE reader.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getDb, shutdownDb } from '../../src/lib/server/db';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { createDisplayToken } from '../../src/lib/server/auth/display-tokens';
import { startServer, type TestServer } from '../helpers/server';

export interface LiveServer {
	server: TestServer;
	ingestKey: string;
	analystKey: string;
	displayToken: string;
	stop: () => Promise<void>;
}

export async function startLiveServer(env: Record<string, string> = {}): Promise<LiveServer> {
	const dir = mkdtempSync(join(tmpdir(), 'cx-live-'));
	const dbPath = join(dir, 'cx.duckdb');
	const db = await getDb(dbPath);
	let ingestKey: string, analystKey: string, displayToken: string;
	try {
		const a = await createApiKey(db, { scope: 'ingest', createdBy: 'test' });
		const b = await createApiKey(db, { scope: 'analyst', createdBy: 'test' });
		const d = await createDisplayToken(db, { board: 'main', createdBy: 'test' });
		if (!a.ok || !b.ok || !d.ok) throw new Error('could not create test credentials');
		ingestKey = a.value.token;
		analystKey = b.value.token;
		displayToken = d.value.token;
	} finally {
		await shutdownDb(dbPath);
	}
	const server = await startServer({ dir, env: { CX_TICK_MS: '200', ...env } });
	return {
		server,
		ingestKey,
		analystKey,
		displayToken,
		stop: async () => {
			await server.stop();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

export async function postEvents(s: LiveServer, events: unknown[]): Promise<Response> {
	return fetch(`${s.server.url}/api/v1/events`, {
		method: 'POST',
		headers: { authorization: `Bearer ${s.ingestKey}`, 'content-type': 'application/json' },
		body: JSON.stringify(events)
	});
}

export interface SseEvent {
	id: string | null;
	event: string;
	data: string;
}

/** Reads an SSE response frame by frame. */
export class SseReader {
	private buf = '';
	private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
	private readonly decoder = new TextDecoder();
	constructor(readonly response: Response) {
		this.reader = response.body!.getReader();
	}

	async next(timeoutMs = 10_000): Promise<SseEvent> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const end = this.buf.indexOf('\n\n');
			if (end >= 0) {
				const block = this.buf.slice(0, end);
				this.buf = this.buf.slice(end + 2);
				const ev: SseEvent = { id: null, event: 'message', data: '' };
				let hasData = false;
				for (const line of block.split('\n')) {
					const i = line.indexOf(': ');
					const [k, v] = i >= 0 ? [line.slice(0, i), line.slice(i + 2)] : [line, ''];
					if (k === 'id') ev.id = v;
					else if (k === 'event') ev.event = v;
					else if (k === 'data') {
						ev.data += v;
						hasData = true;
					}
				}
				if (hasData) return ev;
				continue;
			}
			const left = deadline - Date.now();
			if (left <= 0) throw new Error('timed out waiting for an SSE event');
			let timer: NodeJS.Timeout | undefined;
			const r = await Promise.race([
				this.reader.read(),
				new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error('timed out waiting for an SSE event')), left)))
			]).finally(() => clearTimeout(timer));
			if (r.done) throw new Error('stream ended');
			this.buf += this.decoder.decode(r.value, { stream: true });
		}
	}

	/** The next event satisfying `pred`. */
	async until(pred: (e: SseEvent) => boolean, timeoutMs = 10_000): Promise<SseEvent> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const e = await this.next(Math.max(1, deadline - Date.now()));
			if (pred(e)) return e;
		}
	}

	async close(): Promise<void> {
		await this.reader.cancel().catch(() => undefined);
	}
}
