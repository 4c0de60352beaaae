// Recomputing stored experience debt after the tolerance settings changed (alerts/debt-recompute.ts):
// the result must be what ingesting the same events under the new settings from empty gives, also when
// the server stopped half-way and resumed, and the alert loop must judge customers by it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recomputeDebt } from '../../src/lib/server/alerts/debt-recompute';
import { debtRecomputeIdle } from '../../src/lib/server/alerts/debt-recompute-job';
import { pendingCursor, pendingRecomputes } from '../../src/lib/server/alerts/debt-recompute-pending';
import { debtRecomputeStep } from '../../src/lib/server/alerts/debt-recompute-resume';
import { liveHub } from '../../src/lib/server/live/hub';
import type { DebtRecomputePayload } from '../../src/lib/shared/live-events';
import { evaluateAlerts } from '../../src/lib/server/alerts/evaluate';
import { saveRule } from '../../src/lib/server/alerts/rules';
import { DEFAULT_TOLERANCE, type ToleranceSettings } from '../../src/lib/server/alerts/tolerance-defaults';
import { saveToleranceSettings } from '../../src/lib/server/alerts/tolerance-settings';
import type { Db } from '../../src/lib/server/db';
import type { EventInput } from '../../src/lib/shared/events';
import { ingestEvents } from '../../src/lib/server/ingest/ingest-events';
import { aCustomer } from '../fixtures/alerts';
import { insertCustomers } from '../fixtures/alerts-db';
import { anEvent } from '../fixtures/events';
import { tempDb, type TempDb } from '../helpers/temp-db';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.UTC(2026, 0, 1);

const A: Record<string, ToleranceSettings> = {
	'*': DEFAULT_TOLERANCE,
	vip: { ...DEFAULT_TOLERANCE, limit: 30, halfLifeDays: 20 }
};
// Every kind of change: weights (one to zero), half-life, limit, SLA, in '*' and in a segment.
const B: Record<string, ToleranceSettings> = {
	'*': {
		weights: { ...DEFAULT_TOLERANCE.weights, complaint: 4, csat_low: 3, refund: 0, praise: -12 },
		halfLifeDays: 9,
		limit: 55,
		firstResponseSlaHours: 30
	},
	vip: { ...DEFAULT_TOLERANCE, weights: { ...DEFAULT_TOLERANCE.weights, slow_first_response: 20 }, limit: 25, halfLifeDays: 60, firstResponseSlaHours: 2 }
};

const TYPES = ['complaint', 'refund', 'praise', 'purchase', 'visit'] as const;

/** A deterministic mix of every contribution kind for `n` customers over 90 days, in time order. */
function history(n: number): EventInput[] {
	const out: { at: number; e: EventInput }[] = [];
	let seed = 7;
	const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
	for (let c = 0; c < n; c++) {
		const id = `c${String(c).padStart(2, '0')}`;
		for (let k = 0; k < 14; k++) {
			const at = START + Math.floor(rnd() * 90 * DAY);
			const r = rnd();
			const ev = anEvent().withCustomer(id).at(new Date(at));
			if (r < 0.15) ev.withType('survey_csat').withRating(1 + Math.floor(rnd() * 5));
			else if (r < 0.25) ev.withType('survey_nps').withRating(Math.floor(rnd() * 11));
			else if (r < 0.3) ev.withType('survey_ces').withRating(1 + Math.floor(rnd() * 7));
			else if (r < 0.45) {
				// A ticket: opened, first reply after 1–40 h, sometimes a second contact and a reopen.
				const tk = `${id}-t${k}`;
				out.push({ at, e: ev.withType('support_opened').withTicket(tk).build() });
				const reply = at + Math.floor(1 + rnd() * 40) * HOUR;
				out.push({ at: reply, e: anEvent().withCustomer(id).withType('support_reply').withTicket(tk).at(new Date(reply)).build() });
				if (rnd() < 0.5) {
					const again = at + Math.floor(rnd() * 10) * DAY + HOUR;
					out.push({ at: again, e: anEvent().withCustomer(id).withType('complaint').withTicket(tk).at(new Date(again)).build() });
				}
				if (rnd() < 0.4) {
					const reopen = reply + 2 * DAY;
					out.push({ at: reopen, e: anEvent().withCustomer(id).withType('support_reopened').withTicket(tk).at(new Date(reopen)).build() });
				}
				continue;
			} else ev.withType(TYPES[Math.floor(rnd() * TYPES.length)]);
			out.push({ at, e: ev.build() });
		}
	}
	return out.sort((x, y) => x.at - y.at).map((x) => x.e);
}

async function setUp(db: Db, settings: Record<string, ToleranceSettings>) {
	for (const [segment, s] of Object.entries(settings)) expect(await saveToleranceSettings(db, segment, s)).toEqual({ ok: true });
}

/** Customers c00–c05 in segment vip, the rest in the default segment. */
async function customers(db: Db, n: number) {
	await insertCustomers(
		db,
		Array.from({ length: n }, (_, c) => {
			const b = aCustomer().withId(`c${String(c).padStart(2, '0')}`);
			return (c < 6 ? b.inSegment('vip') : b.inSegment('default')).build();
		})
	);
}

/** In time order, several batches, through the real ingest path. */
async function ingestAll(db: Db, events: EventInput[]) {
	for (let i = 0; i < events.length; i += 40) {
		const r = await ingestEvents(db, events.slice(i, i + 40), { source: 'test' });
		expect(r).toMatchObject({ ok: true });
	}
}

const stored = (db: Db) =>
	Promise.all([
		db.all<Record<string, unknown>>('SELECT customer_id, debt, updated_at, crossed_at FROM customer_debt ORDER BY customer_id'),
		db.all<Record<string, unknown>>('SELECT customer_id, event_id, occurred_at, kind, points FROM debt_contributions ORDER BY ALL')
	]);

let t: TempDb;
let u: TempDb;
beforeEach(async () => {
	t = await tempDb();
	u = await tempDb();
});
afterEach(async () => {
	await t.cleanup();
	await u.cleanup();
});

describe('recomputeDebt', () => {
	const N = 20;
	const events = history(N);

	it('gives exactly the debt a fresh database ingesting the same events under the new settings has', async () => {
		await customers(t.db, N);
		await setUp(t.db, A);
		await ingestAll(t.db, events);
		const underA = await stored(t.db);

		await customers(u.db, N);
		await setUp(u.db, B);
		await ingestAll(u.db, events);
		const [wantDebt, wantContributions] = await stored(u.db);
		// The two settings disagree, or this test would prove nothing.
		expect(underA[0]).not.toEqual(wantDebt);
		expect(wantDebt.some((r) => r.crossed_at !== null)).toBe(true);
		expect(new Set(wantContributions.map((c) => c.kind))).toEqual(
			new Set(['csat_low', 'csat_high', 'nps_detractor', 'nps_promoter', 'ces_low', 'complaint', 'refund', 'praise', 'purchase', 'slow_first_response', 'ticket_reopened', 'repeat_contact'])
		);

		await setUp(t.db, B);
		const progress: string[] = [];
		const r = await recomputeDebt(t.db, { chunkCustomers: 7, onProgress: (p) => progress.push(`${p.done}/${p.total}`) });
		expect(progress).toEqual(['7/20', '14/20', '20/20']);
		expect(r).toMatchObject({ customers: N, withDebt: wantDebt.length });
		const [debt, contributions] = await stored(t.db);
		expect(debt).toEqual(wantDebt);
		expect(contributions).toEqual(wantContributions);
	});

	it('ingest running at the same time neither waits for the whole recompute nor spoils it', async () => {
		await customers(t.db, N);
		await customers(u.db, N);
		await setUp(t.db, A);
		await setUp(u.db, B);
		await ingestAll(u.db, events);
		const [wantDebt] = await stored(u.db);
		const half = Math.floor(events.length / 2);
		await ingestAll(t.db, events.slice(0, half));
		await setUp(t.db, B);
		// Chunks and ingest batches take turns on the write lock: each customer's later events land either
		// before their chunk (and are recomputed with it) or after (and continue its result).
		const order: string[] = [];
		await Promise.all([
			recomputeDebt(t.db, { chunkCustomers: 3, onProgress: (p) => order.push(`chunk ${p.done}`) }),
			(async () => {
				for (let i = half; i < events.length; i += 40) {
					expect(await ingestEvents(t.db, events.slice(i, i + 40), { source: 'test' })).toMatchObject({ ok: true });
					order.push('batch');
				}
			})()
		]);
		expect(order.indexOf('batch')).toBeLessThan(order.indexOf(`chunk ${N}`));
		const [debt] = await stored(t.db);
		expect(debt).toEqual(wantDebt);
	});

	it('stopped after its first chunk, it goes on from there at the next server start and ends as a fresh database would', async () => {
		await customers(t.db, N);
		await setUp(t.db, A);
		await ingestAll(t.db, events);
		await customers(u.db, N);
		await setUp(u.db, B);
		await ingestAll(u.db, events);
		const [wantDebt, wantContributions] = await stored(u.db);

		// Saves '*' (owing everyone's recompute), then vip (owing vip's, since it follows).
		await setUp(t.db, B);
		const [everyone] = await pendingRecomputes(t.db);
		expect(everyone).toMatchObject({ segments: null, after: null });
		// The server stops (here: the run is aborted) once the first 7 customers are committed.
		const stop = new AbortController();
		const run = recomputeDebt(t.db, { cursor: pendingCursor(everyone), chunkCustomers: 7, signal: stop.signal, onProgress: () => stop.abort(new Error('server stopped')) });
		await expect(run).rejects.toThrow('server stopped');
		expect((await pendingRecomputes(t.db)).map((p) => [p.segments, p.after])).toEqual([
			[null, 'c06'],
			[['vip'], null]
		]);
		const [halfway] = await stored(t.db);
		expect(halfway).not.toEqual(wantDebt);

		const frames: string[] = [];
		const unsubscribe = liveHub().subscribe((f) => {
			if (f.event !== 'debt-recompute') return;
			const p = JSON.parse(new TextDecoder().decode(f.bytes).split('\n').find((l) => l.startsWith('data: '))!.slice(6)) as DebtRecomputePayload;
			frames.push(`${p.segments?.join('+') ?? 'all'} ${p.state} ${p.done}/${p.total}`);
		});
		const logged = vi.spyOn(console, 'log');
		try {
			await debtRecomputeStep.run(t.db);
			await debtRecomputeIdle();
		} finally {
			unsubscribe();
		}
		const lines = logged.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('resuming'));
		logged.mockRestore();
		expect(lines).toEqual([
			expect.stringMatching(/ debt recompute: resuming every segment \(\*\) after customer c06 \(saved \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/),
			expect.stringMatching(/ debt recompute: resuming segment vip from the first customer \(saved /)
		]);
		// From c07 on: 7 done before, 13 now (from the start it would have been 20 more).
		expect(frames).toEqual(['all running 0/null', 'all running 7/20', 'all running 20/20', 'all done 20/20', 'vip running 0/null', 'vip running 6/6', 'vip done 6/6']);
		expect(await pendingRecomputes(t.db)).toEqual([]);
		const [debt, contributions] = await stored(t.db);
		expect(debt).toEqual(wantDebt);
		expect(contributions).toEqual(wantContributions);
	});

	it('rebuilds only the segments asked for', async () => {
		await customers(t.db, N);
		await setUp(t.db, A);
		await ingestAll(t.db, events);
		const [before] = await stored(t.db);
		await setUp(t.db, B);
		const r = await recomputeDebt(t.db, { segments: ['vip'] });
		expect(r.customers).toBe(6);
		const [after] = await stored(t.db);
		const vip = (id: unknown) => Number(String(id).slice(1)) < 6;
		expect(after.filter((x) => !vip(x.customer_id))).toEqual(before.filter((x) => !vip(x.customer_id)));
		expect(after.filter((x) => vip(x.customer_id))).not.toEqual(before.filter((x) => vip(x.customer_id)));
	});

	it('the alert loop then judges by the new debt: an item opened under the old settings is closed, not re-opened', async () => {
		expect((await saveRule(t.db, { id: 'tol', name: 'Tolerance', definition: { kind: 'tolerance' } })).ok).toBe(true);
		const at = (d: number) => new Date(START + d * DAY);
		await ingestAll(t.db, [
			anEvent().withCustomer('x').withType('complaint').at(at(0)).build(),
			anEvent().withCustomer('x').withType('complaint').at(at(0.5)).build(),
			anEvent().withCustomer('x').withType('refund').at(at(1)).build(),
			anEvent().withCustomer('x').withType('survey_csat').withRating(1).at(at(1)).build()
		]);
		const now = START + 2 * DAY;
		// Under the defaults: 15 + 15 + 8 + 10 points within a day, over the limit of 40.
		const first = await evaluateAlerts(t.db, new Map(), { customers: true, now });
		expect(first.opened.map((i) => `${i.customer_id}:${i.rule_id}`)).toEqual(['x:tol']);
		// Same limit and half-life, so only the debt can change the judgement: complaints worth 4 and no
		// refund make 4 + 4 + 3 = 11 points. Until the recompute the stored 48 points still count.
		await setUp(t.db, { '*': { ...DEFAULT_TOLERANCE, weights: { ...DEFAULT_TOLERANCE.weights, complaint: 4, csat_low: 3, refund: 0 } } });
		const before = await evaluateAlerts(t.db, new Map(), { customers: true, now: now + 1000 });
		expect(before.closed).toEqual([]);
		await recomputeDebt(t.db);
		const after = await evaluateAlerts(t.db, new Map(), { customers: true, now: now + 2000 });
		expect(after.closed.map((i) => `${i.customer_id}:${i.rule_id}`)).toEqual(['x:tol']);
		expect(after.opened).toEqual([]);
		const again = await evaluateAlerts(t.db, new Map(), { customers: true, now: now + 3000 });
		expect(again.opened).toEqual([]);
		const item = await t.db.one<{ state: string }>(`SELECT state FROM work_items WHERE customer_id = 'x'`);
		expect(item).toEqual({ state: 'resolved' });
	});
});
