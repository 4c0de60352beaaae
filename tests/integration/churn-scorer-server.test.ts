// The server's incremental scorer with the bundled champion: a customer with new events is scored in
// seconds by the server's scoring child process, the score reaches analysts as one `score` frame and
// the customer API, and a wall's stream carries none of it (and no holes in its ids).
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScorePayload } from '../../src/lib/shared/live-events';
import { anEvent } from '../fixtures/events';
import { postEvents, SseReader, startLiveServer, type LiveServer, type SseEvent } from './live-server';

let s: LiveServer;
beforeAll(async () => {
	s = await startLiveServer();
}, 120_000);
afterAll(async () => {
	await s?.stop();
});

/** Command lines of the processes whose parent is `pid`. */
function childCommands(pid: number): string[] {
	const out: string[] = [];
	for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
		try {
			const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (ppid === pid) out.push(readFileSync(`/proc/${p}/cmdline`, 'utf8').replaceAll('\0', ' '));
		} catch {
			/* exited meanwhile */
		}
	}
	return out;
}

async function profileOf(id: string): Promise<{ score: { model_version: string; probability: number } | null }> {
	const r = await fetch(`${s.server.url}/api/v1/customers/${id}`, { headers: { authorization: `Bearer ${s.analystKey}` } });
	return r.status === 404 ? { score: null } : ((await r.json()) as { score: { model_version: string; probability: number } | null });
}

const stream = (query: string, headers: Record<string, string> = {}) => fetch(`${s.server.url}/api/v1/stream?window=1h${query}`, { headers });

describe('incremental scoring in the server', () => {
	it('scores a customer with new events in its scoring process and tells analysts, not walls', async () => {
		// The first round scores everyone (without live frames); wait for it, so fresh-1 is incremental.
		expect((await postEvents(s, [anEvent().withCustomer('seed-1').at(new Date(Date.now() - 3_600_000)).build()])).status).toBe(200);
		for (const deadline = Date.now() + 30_000; ; ) {
			if ((await profileOf('seed-1')).score) break;
			if (Date.now() > deadline) throw new Error(`the first full scoring round did not happen:\n${s.server.output()}`);
			await new Promise((r) => setTimeout(r, 250));
		}
		const analyst = new SseReader(await stream('', { authorization: `Bearer ${s.analystKey}` }));
		const wall = new SseReader(await stream(`&token=${encodeURIComponent(s.displayToken)}`));
		const started = Date.now();
		const now = new Date();
		const r = await postEvents(s, [
			anEvent().withCustomer('fresh-1').withType('visit').at(new Date(now.getTime() - 60_000)).build(),
			anEvent().withCustomer('fresh-1').withType('complaint').at(now).build()
		]);
		expect(r.status).toBe(200);

		const frame = await analyst.until((e) => e.event === 'score' && (JSON.parse(e.data) as ScorePayload).scores.some((x) => x.customerId === 'fresh-1'), 30_000);
		const seconds = (Date.now() - started) / 1000;
		console.log(`scored a customer with new events ${seconds.toFixed(1)} s after the ingest answer`);
		const payload = JSON.parse(frame.data) as ScorePayload;
		expect(payload.modelVersion).toBe('v0001');
		const mine = payload.scores.find((x) => x.customerId === 'fresh-1')!;
		expect(mine.probability).toBeGreaterThanOrEqual(0);
		expect(mine.probability).toBeLessThanOrEqual(1);
		expect(['low', 'medium', 'high']).toContain(mine.band);

		const profile = await profileOf('fresh-1');
		expect(profile.score?.model_version).toBe('v0001');
		expect(profile.score?.probability).toBeCloseTo(mine.probability, 10);

		expect(childCommands(s.server.proc.pid!).some((cmd) => cmd.includes('score-worker'))).toBe(true);

		// The wall got tiles and heartbeats meanwhile, never customer-level frames, and gap-free ids.
		const seen: SseEvent[] = [];
		for (;;) {
			const e = await wall.next(1500).catch(() => null);
			if (!e) break;
			seen.push(e);
		}
		expect(seen.some((e) => e.event === 'tiles')).toBe(true);
		expect(seen.filter((e) => ['score', 'workitem', 'train-progress'].includes(e.event))).toEqual([]);
		const seqs = seen.filter((e) => e.id).map((e) => Number(e.id!.split('-')[1]));
		seqs.forEach((q, i) => i > 0 && expect(q).toBe(seqs[i - 1] + 1));
		await analyst.close();
		await wall.close();
	}, 60_000);
});
