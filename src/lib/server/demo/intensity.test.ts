// Live runs the world at a higher intensity to reach its event rate. Ratios the dashboards show must
// keep their level: first-response time, CSAT share, complaints per interaction, daily churn pace.
import { describe, expect, it } from 'vitest';
import { createHistoryRun } from './history';
import { startingIntensity } from './live';
import type { DemoEvent } from './types';

const DAY = 86_400_000;
const HOUR = 3_600_000;

function measure(events: DemoEvent[]) {
	const opened = new Map<string, number>();
	const frt: number[] = [];
	let csat = 0;
	let csatHigh = 0;
	let complaints = 0;
	let interactions = 0;
	for (const e of events) {
		const t = Date.parse(e.occurred_at);
		if (e.type === 'support_opened' && e.ticket_id) opened.set(e.ticket_id, t);
		if (e.type === 'support_reply' && e.ticket_id && opened.has(e.ticket_id)) {
			frt.push(t - opened.get(e.ticket_id)!);
			opened.delete(e.ticket_id);
		}
		if (e.type === 'survey_csat') {
			csat++;
			if ((e.rating ?? 0) >= 4) csatHigh++;
		}
		if (e.type === 'complaint') complaints++;
		if (!['support_reply', 'support_solved'].includes(e.type)) interactions++;
	}
	frt.sort((a, b) => a - b);
	return { frtMedianH: frt[Math.floor(frt.length / 2)] / HOUR, csatShare: csatHigh / csat, complaintRate: complaints / interactions, n: events.length };
}

describe('live intensity', () => {
	it('multiplies the volume but keeps response times, CSAT and complaint rate at their level', () => {
		const end = Date.UTC(2026, 3, 1);
		const run = createHistoryRun({ customers: 1500, days: 60, seed: 21, end: new Date(end) });
		const history: DemoEvent[] = [];
		for (const chunk of run.chunks()) for (const e of chunk.events) if (Date.parse(e.occurred_at) >= end - 20 * DAY) history.push(e);
		const before = run.world.customers.filter((c) => c.state === 'cancelled').length;

		const world = run.world;
		world.intensity = 25;
		const live: DemoEvent[] = [];
		// 10-minute steps stand in for live's 500 ms batches; the queue carries replies across steps.
		for (let t = end; t < end + 2 * DAY; t += 10 * 60_000) live.push(...world.advance(t, t + 10 * 60_000).events);
		// Incidents differ between the two spans; compare ordinary hours only.
		const ordinary = (e: DemoEvent) => {
			const t = Date.parse(e.occurred_at);
			return !world.incidents.between(t - 3 * DAY, t + 1).some((i) => t >= i.start && t < i.end + 24 * HOUR);
		};
		const h = measure(history.filter(ordinary));
		const l = measure(live.filter(ordinary));

		expect(l.n / 2).toBeGreaterThan(10 * (h.n / 20));
		expect(l.frtMedianH).toBeGreaterThan(h.frtMedianH * 0.6);
		expect(l.frtMedianH).toBeLessThan(h.frtMedianH * 1.6);
		expect(Math.abs(l.csatShare - h.csatShare)).toBeLessThan(0.08);
		expect(l.complaintRate).toBeGreaterThan(h.complaintRate * 0.6);
		expect(l.complaintRate).toBeLessThan(h.complaintRate * 1.6);
		// Churn keeps its daily pace instead of running 25 times faster.
		const cancelledInLive = world.customers.filter((c) => c.state === 'cancelled').length - before;
		expect(cancelledInLive).toBeLessThan(25);
	});

	it('speeds up only customers active in the last 30 days: those silent longer keep the history pace', () => {
		const end = Date.UTC(2026, 3, 1, 12);
		const run = createHistoryRun({ customers: 1500, days: 120, seed: 8, end: new Date(end) });
		const own = (e: DemoEvent) => !['support_reply', 'support_solved', 'cancellation'].includes(e.type);
		const last = new Map<string, number>();
		let historyOwn = 0;
		for (const chunk of run.chunks()) {
			for (const e of chunk.events) {
				if (!own(e)) continue;
				last.set(e.customer_id, Math.max(last.get(e.customer_id) ?? 0, Date.parse(e.occurred_at)));
				if (Date.parse(e.occurred_at) >= end - 30 * DAY) historyOwn++;
			}
		}
		const world = run.world;
		const alive = new Set(world.customers.filter((c) => c.state !== 'cancelled').map((c) => c.id));
		// The customers the churn tile counts as lost by inactivity: last seen 30–60 days ago.
		const silent = [...last].filter(([id, t]) => alive.has(id) && t < end - 30 * DAY && t >= end - 60 * DAY).map(([id]) => id);
		expect(silent.length).toBeGreaterThan(20);

		world.intensity = 200;
		const live: DemoEvent[] = [];
		for (let t = end; t < end + 6 * 3_600_000; t += 10 * 60_000) live.push(...world.advance(t, t + 10 * 60_000).events);
		const back = new Set(live.filter((e) => own(e) && silent.includes(e.customer_id)).map((e) => e.customer_id));
		// At the history's pace a few of them would show up in six hours; sped up 200 times, most did.
		expect(back.size).toBeLessThanOrEqual(Math.max(2, silent.length * 0.05));
		// The customers active lately are sped up: six hours bring far more than the history's daily pace.
		expect(live.filter(own).length).toBeGreaterThan(20 * (historyOwn / 30));
	});

	it('starts near the asked rate at any hour, not at the night-time fraction of it', () => {
		const rate = 40;
		for (const hour of [3, 19]) {
			const end = Date.UTC(2026, 3, 1, hour);
			const run = createHistoryRun({ customers: 400, days: 30, seed: 5, end: new Date(end) });
			let week = 0;
			for (const chunk of run.chunks()) for (const e of chunk.events) if (Date.parse(e.occurred_at) >= end - 7 * DAY) week++;
			const world = run.world;
			world.intensity = startingIntensity(world, rate, week / (7 * 86_400), end);
			let n = 0;
			// One minute in live's 500 ms batches, before the steering would have adjusted anything.
			for (let t = end; t < end + 60_000; t += 500) n += world.advance(t, t + 500).events.length;
			expect(n / 60, `events/s at ${hour}:00 UTC`).toBeGreaterThan(rate * 0.5);
			expect(n / 60, `events/s at ${hour}:00 UTC`).toBeLessThan(rate * 2);
		}
	});
});
