// The live stream and metrics API against the real built server: headers, auth, live tile updates
// after ingest, resume with Last-Event-ID, and Arrow output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { anEvent } from '../fixtures/events';
import { postEvents, SseReader, startLiveServer, type LiveServer } from './live-server';
import type { TilesPayload, TileSet } from '../../src/lib/shared/live-events';

let s: LiveServer;
beforeAll(async () => {
	s = await startLiveServer();
});
afterAll(async () => {
	await s?.stop();
});

const KEY_1H = '1h||';
const csatCount = (set: TileSet | undefined) => set?.tiles.find((t) => t.id === 'csat')?.counts.csat_n ?? -1;
const tilesOf = (data: string) => (JSON.parse(data) as TilesPayload).sets[KEY_1H];
const csat = (rating: number) => anEvent().withCustomer(`c-${rating}`).withType('survey_csat').withRating(rating).at(new Date());

function openStream(headers: Record<string, string> = {}, query = 'window=1h'): Promise<Response> {
	return fetch(`${s.server.url}/api/v1/stream?${query}`, { headers: { authorization: `Bearer ${s.analystKey}`, ...headers } });
}

describe('GET /api/v1/stream', () => {
	it('is an event stream with the proxy-friendly headers, and refuses the wrong principals', async () => {
		const r = await openStream();
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
		expect(r.headers.get('cache-control')).toBe('no-cache');
		expect(r.headers.get('x-accel-buffering')).toBe('no');
		await r.body?.cancel();
		expect((await fetch(`${s.server.url}/api/v1/stream`)).status).toBe(401);
		const ingest = await fetch(`${s.server.url}/api/v1/stream`, { headers: { authorization: `Bearer ${s.ingestKey}` } });
		expect(ingest.status).toBe(403);
		const display = await fetch(`${s.server.url}/api/v1/stream?window=1h&token=${encodeURIComponent(s.displayToken)}`);
		expect(display.status).toBe(200);
		await display.body?.cancel();
		expect((await openStream({}, 'window=2h')).status).toBe(400);
		const segment = await openStream({}, 'window=1h&segment=Nosuch');
		expect(segment.status).toBe(400);
		expect(((await segment.json()) as { error: string }).error).toMatch(/^segment: must be one of .*got "Nosuch"; segments are case-sensitive/);
	});

	it('pushes new tile values after an ingest and resumes from Last-Event-ID after a reconnect', async () => {
		const first = new SseReader(await openStream());
		const initial = await first.until((e) => e.event === 'tiles' && !!tilesOf(e.data));
		const before = csatCount(tilesOf(initial.data));
		expect((await postEvents(s, [csat(5).build(), csat(2).build()])).status).toBe(200);
		const updated = await first.until((e) => e.event === 'tiles' && csatCount(tilesOf(e.data)) === before + 2);
		expect(updated.id).toMatch(/^[0-9a-z]+-\d+$/);
		await first.close();

		// While disconnected, more data arrives; the reconnecting client gets exactly what it missed.
		expect((await postEvents(s, [csat(4).build()])).status).toBe(200);
		await new Promise((r) => setTimeout(r, 1000));
		const second = new SseReader(await openStream({ 'last-event-id': updated.id! }));
		// Replay starts right after the last id seen, with no gap (alerts may be interleaved with tiles).
		const [boot, seq] = updated.id!.split('-');
		const firstReplayed = await second.until((e) => e.id !== null);
		expect(firstReplayed.id).toBe(`${boot}-${Number(seq) + 1}`);
		let last = Number(seq) + 1;
		let latest = firstReplayed;
		while (!(latest.event === 'tiles' && csatCount(tilesOf(latest.data)) === before + 3)) {
			latest = await second.until((e) => e.id !== null, 3000);
			expect(Number(latest.id!.split('-')[1])).toBe(++last);
		}
		expect(csatCount(tilesOf(latest.data))).toBe(before + 3);
		await second.close();
	});

	it('sends a fresh snapshot when the Last-Event-ID is unknown (e.g. after a server restart)', async () => {
		const r = new SseReader(await openStream({ 'last-event-id': 'oldboot-42' }));
		const e = await r.until((x) => x.event === 'tiles');
		expect(tilesOf(e.data)).toBeDefined();
		await r.close();
	});
});

describe('GET /api/v1/metrics', () => {
	it('returns the tile set as JSON and as Arrow, for display tokens too', async () => {
		const auth = { authorization: `Bearer ${s.displayToken}` };
		const r = await fetch(`${s.server.url}/api/v1/metrics?window=1h&channel=web`, { headers: auth });
		expect(r.status).toBe(200);
		const set = (await r.json()) as TileSet;
		expect(set.window).toBe('1h');
		expect(set.channel).toBe('web');
		expect(set.tiles.map((t) => t.id)).toContain('churn_rate');
		const a = await fetch(`${s.server.url}/api/v1/metrics?window=1h`, { headers: { ...auth, accept: 'application/vnd.apache.arrow.stream' } });
		expect(a.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
		const table = tableFromIPC(new Uint8Array(await a.arrayBuffer()));
		expect(table.numRows).toBe(set.tiles.length);
		expect(table.getChild('id')?.toArray()).toContain('csat');
		expect(table.schema.fields.map((f) => f.name)).toContain('note');
		const bad = await fetch(`${s.server.url}/api/v1/metrics?window=5y`, { headers: auth });
		expect(bad.status).toBe(400);
		expect(await bad.text()).toMatch(/window/);
		const typo = await fetch(`${s.server.url}/api/v1/metrics?windw=1h`, { headers: auth });
		expect(typo.status).toBe(400);
		expect(await typo.text()).toMatch(/unknown parameter windw; use window, channel, segment/);
		const streamTypo = await fetch(`${s.server.url}/api/v1/stream?windw=1h`, { headers: auth });
		expect(streamTypo.status).toBe(400);
		expect(await streamTypo.text()).toMatch(/unknown parameter windw/);
	});
});

describe('stopping the server with viewers connected', () => {
	it('SIGTERM ends the event streams, so the process exits in seconds instead of waiting SHUTDOWN_TIMEOUT', async () => {
		const own = await startLiveServer({ CX_LOG_LEVEL: 'info' });
		try {
			const viewers = await Promise.all(
				[1, 2, 3].map(() => fetch(`${own.server.url}/api/v1/stream?window=1h&token=${encodeURIComponent(own.displayToken)}`))
			);
			const ended = viewers.map((v) => v.text());
			const exited = new Promise<number>((resolve) => own.server.proc.once('exit', () => resolve(Date.now())));
			const t0 = Date.now();
			own.server.proc.kill('SIGTERM');
			await Promise.all(ended);
			const seconds = ((await exited) - t0) / 1000;
			// adapter-node's SHUTDOWN_TIMEOUT is 30 s; a stop without streams takes about 2 s.
			expect(seconds).toBeLessThan(15);
			expect(own.server.proc.exitCode).toBe(0);
			expect(own.server.output()).toMatch(/ended 3 event stream\(s\) for shutdown/);
		} finally {
			await own.stop();
		}
	});
});
