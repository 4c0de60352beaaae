// Determinism and realism of the generated history. Each realism check can fail if the world's
// mechanics break (that is the point): they compare behaviour, not fixed numbers.
import { beforeAll, describe, expect, it } from 'vitest';
import { RATING_RANGES, type StandardEventType } from '../../shared/events';
import { createHistoryRun, generateHistory, type HistoryRun } from './history';
import type { DemoCustomerRecord, DemoEvent } from './types';

const DAY = 86_400_000;
const END = new Date('2026-06-01T00:00:00Z');

function collect(opts: Parameters<typeof generateHistory>[0]): { customers: DemoCustomerRecord[]; events: DemoEvent[] } {
	const customers: DemoCustomerRecord[] = [];
	const events: DemoEvent[] = [];
	for (const chunk of generateHistory(opts)) {
		customers.push(...chunk.customers);
		events.push(...chunk.events);
	}
	return { customers, events };
}

const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

describe('generateHistory determinism', () => {
	it('gives identical customers and events (ids included) for the same seed and parameters', () => {
		const opts = { customers: 300, days: 40, seed: 11, end: END };
		const a = collect(opts);
		const b = collect(opts);
		expect(a.events.length).toBeGreaterThan(500);
		expect(b.customers).toEqual(a.customers);
		expect(b.events.slice(0, 2000)).toEqual(a.events.slice(0, 2000));
		expect(b.events.length).toBe(a.events.length);
		expect(a.events[0].event_id).toBe('demo-11-1');
		expect(new Set(a.events.map((e) => e.event_id)).size).toBe(a.events.length);
	});

	it('gives the same world, up to the day it runs on, when started at another time of that day', () => {
		const morning = collect({ customers: 300, days: 40, seed: 11, end: new Date(END.getTime() + 9.5 * 3600_000) });
		const evening = collect({ customers: 300, days: 40, seed: 11, end: new Date(END.getTime() + 21 * 3600_000) });
		const before = (events: DemoEvent[]) => events.filter((e) => Date.parse(e.occurred_at) < END.getTime());
		expect(before(morning.events).length).toBeGreaterThan(500);
		expect(before(evening.events)).toEqual(before(morning.events));
		const initial = (c: DemoCustomerRecord[]) => c.slice(0, 240);
		expect(initial(evening.customers)).toEqual(initial(morning.customers));
		// Today's part follows on: the evening run has the morning's hours and more.
		expect(evening.events.length).toBeGreaterThan(morning.events.length);
		for (const e of morning.events) expect(Date.parse(e.occurred_at)).toBeLessThan(END.getTime() + 9.5 * 3600_000);
		// The whole days are the days before the run's day, so the history starts at the same midnight.
		expect(Date.parse(morning.events[0].occurred_at)).toBeGreaterThanOrEqual(END.getTime() - 40 * DAY);
	});

	it('gives a different world for a different seed', () => {
		const a = collect({ customers: 300, days: 40, seed: 11, end: END });
		const b = collect({ customers: 300, days: 40, seed: 12, end: END });
		expect(b.customers.map((c) => c.name)).not.toEqual(a.customers.map((c) => c.name));
		expect(b.events.slice(0, 200).map((e) => [e.customer_id, e.occurred_at, e.type])).not.toEqual(
			a.events.slice(0, 200).map((e) => [e.customer_id, e.occurred_at, e.type])
		);
		expect(b.events[0].event_id).toBe('demo-12-1');
	});
});

describe('generated world realism (1,500 customers x 180 days)', () => {
	let run: HistoryRun;
	let customers: DemoCustomerRecord[];
	let events: DemoEvent[];
	let byCustomer: Map<string, DemoEvent[]>;

	beforeAll(() => {
		run = createHistoryRun({ customers: 1500, days: 180, seed: 7, end: END });
		customers = [];
		events = [];
		for (const chunk of run.chunks()) {
			customers.push(...chunk.customers);
			events.push(...chunk.events);
		}
		byCustomer = new Map();
		for (const e of events) {
			const list = byCustomer.get(e.customer_id) ?? [];
			list.push(e);
			byCustomer.set(e.customer_id, list);
		}
	});

	it('has every segment, sensible values and a volume of about 0.1–0.25 events per customer-day', () => {
		expect(new Set(customers.map((c) => c.segment))).toEqual(new Set(['consumer', 'smb', 'enterprise', 'vip']));
		const mean = (seg: string) => {
			const xs = customers.filter((c) => c.segment === seg).map((c) => c.monthly_value);
			return xs.reduce((a, b) => a + b, 0) / xs.length;
		};
		expect(mean('enterprise')).toBeGreaterThan(mean('smb'));
		expect(mean('smb')).toBeGreaterThan(mean('consumer'));
		const perCustomerDay = events.length / (1500 * 180);
		expect(perCustomerDay).toBeGreaterThan(0.1);
		expect(perCustomerDay).toBeLessThan(0.25);
	});

	it('keeps ratings integral and in range for surveys, and absent elsewhere', () => {
		for (const e of events) {
			const range = RATING_RANGES[e.type as StandardEventType];
			if (range) {
				expect(Number.isInteger(e.rating)).toBe(true);
				expect(e.rating).toBeGreaterThanOrEqual(range[0]);
				expect(e.rating).toBeLessThanOrEqual(range[1]);
			} else expect(e.rating).toBeNull();
		}
		const csat = events.filter((e) => e.type === 'survey_csat').map((e) => e.rating as number);
		expect(new Set(csat).size).toBe(5);
	});

	it('emits events in time order within [end − days, end)', () => {
		let prev = run.start;
		for (const e of events) {
			const t = Date.parse(e.occurred_at);
			expect(t).toBeGreaterThanOrEqual(prev);
			prev = t;
		}
		expect(prev).toBeLessThan(END.getTime());
	});

	it('starts each newcomer with a signup and ends a cancelled customer with their cancellation', () => {
		const signups = events.filter((e) => e.type === 'signup');
		expect(signups.length).toBe(300);
		for (const s of signups) expect(byCustomer.get(s.customer_id)?.[0]).toBe(s);
		const customerActs = new Set(['visit', 'purchase', 'support_opened', 'complaint', 'praise', 'survey_nps', 'refund']);
		for (const e of events.filter((x) => x.type === 'cancellation')) {
			const later = (byCustomer.get(e.customer_id) ?? []).filter((x) => x.occurred_at > e.occurred_at && customerActs.has(x.type));
			expect(later).toEqual([]);
		}
	});

	it('answers tickets after opening and solves them after a reply', () => {
		const tickets = new Map<string, DemoEvent[]>();
		for (const e of events) if (e.ticket_id) tickets.set(e.ticket_id, [...(tickets.get(e.ticket_id) ?? []), e]);
		expect(tickets.size).toBeGreaterThan(500);
		let reopened = 0;
		for (const [, evs] of tickets) {
			const opened = evs.find((e) => e.type === 'support_opened');
			expect(opened).toBeDefined();
			const firstReply = evs.find((e) => e.type === 'support_reply');
			const solved = evs.find((e) => e.type === 'support_solved');
			if (solved) {
				expect(firstReply).toBeDefined();
				expect(firstReply!.occurred_at > opened!.occurred_at).toBe(true);
				expect(solved.occurred_at >= firstReply!.occurred_at).toBe(true);
				expect(solved.agent_id).toMatch(/^agent-\d\d$/);
			} else {
				// Only tickets opened in the history's last days may still be open.
				expect(Date.parse(opened!.occurred_at)).toBeGreaterThan(END.getTime() - 12 * DAY);
			}
			if (evs.some((e) => e.type === 'support_reopened')) reopened++;
		}
		expect(reopened).toBeGreaterThan(0);
	});

	it('raises the median first-response time for tickets opened during incidents', () => {
		const incidents = run.world.incidents.between(run.start, run.end);
		expect(incidents.length).toBeGreaterThan(5);
		const inside: number[] = [];
		const outside: number[] = [];
		const opened = new Map<string, number>();
		for (const e of events) {
			if (e.type === 'support_opened' && e.ticket_id) opened.set(e.ticket_id, Date.parse(e.occurred_at));
			else if (e.type === 'support_reply' && e.ticket_id && opened.has(e.ticket_id)) {
				const o = opened.get(e.ticket_id)!;
				opened.delete(e.ticket_id);
				const frt = Date.parse(e.occurred_at) - o;
				(incidents.some((i) => o >= i.start && o < i.end) ? inside : outside).push(frt);
			}
		}
		expect(inside.length).toBeGreaterThan(20);
		expect(median(inside)).toBeGreaterThan(1.3 * median(outside));
	});

	it('raises complaints during incidents', () => {
		const incidents = run.world.incidents.between(run.start, run.end);
		const hours = incidents.reduce((s, i) => s + (i.end - i.start) / 3_600_000, 0);
		const inIncident = (t: number) => incidents.some((i) => t >= i.start && t < i.end);
		const complaints = events.filter((e) => e.type === 'complaint').map((e) => Date.parse(e.occurred_at));
		const inside = complaints.filter(inIncident).length / hours;
		const outside = (complaints.length - complaints.filter(inIncident).length) / (180 * 24 - hours);
		expect(inside).toBeGreaterThan(1.5 * outside);
	});

	it('lowers CSAT during incidents and the hours after', () => {
		const incidents = run.world.incidents.between(run.start, run.end);
		const near = (t: number) => incidents.some((i) => t >= i.start && t < i.end + 6 * 3_600_000);
		const share = (xs: DemoEvent[]) => xs.filter((e) => (e.rating ?? 0) >= 4).length / xs.length;
		const csat = events.filter((e) => e.type === 'survey_csat');
		const inside = csat.filter((e) => near(Date.parse(e.occurred_at)));
		const outside = csat.filter((e) => !near(Date.parse(e.occurred_at)));
		expect(inside.length).toBeGreaterThan(30);
		expect(share(inside)).toBeLessThan(share(outside) - 0.05);
	});

	it('makes customers who crossed their tolerance buy less afterwards than before', () => {
		let before = 0;
		let after = 0;
		let n = 0;
		for (const c of run.world.customers) {
			const t = c.crossings[0];
			if (t === undefined || t < run.start + 45 * DAY || t > run.end - 45 * DAY || c.signedUpAt > t - 45 * DAY) continue;
			n++;
			for (const e of byCustomer.get(c.id) ?? []) {
				if (e.type !== 'purchase') continue;
				const at = Date.parse(e.occurred_at);
				if (at >= t - 45 * DAY && at < t) before++;
				else if (at >= t && at < t + 45 * DAY) after++;
			}
		}
		expect(n).toBeGreaterThan(30);
		expect(after).toBeLessThan(0.5 * before);
	});

	it('churns a plausible share (5–40 %) over 180 days, partly for reasons the data cannot show, and lets some recover', () => {
		const initial = run.world.customers.filter((c) => c.signedUpAt < run.start);
		const lost = initial.filter((c) => c.state !== 'active');
		const share = lost.length / initial.length;
		expect(share).toBeGreaterThan(0.05);
		expect(share).toBeLessThan(0.4);
		expect(lost.some((c) => c.churnCause === 'random')).toBe(true);
		expect(lost.some((c) => c.churnCause === 'tolerance')).toBe(true);
		expect(run.world.customers.some((c) => c.recoveries > 0)).toBe(true);
		const cancellations = events.filter((e) => e.type === 'cancellation').length;
		expect(cancellations).toBeGreaterThan(0.25 * lost.length);
		expect(cancellations).toBeLessThan(lost.length);
	});

	it('makes visible bad experiences predictive of later churn, but not decisive', () => {
		const cutoff = run.start + 90 * DAY;
		const bad = (e: DemoEvent) =>
			e.type === 'complaint' ||
			e.type === 'support_reopened' ||
			e.type === 'refund' ||
			(e.type === 'survey_csat' && (e.rating ?? 5) <= 2) ||
			(e.type === 'survey_nps' && (e.rating ?? 10) <= 6);
		const groups = { bad: { n: 0, churned: 0 }, clean: { n: 0, churned: 0 } };
		for (const c of run.world.customers) {
			if (c.signedUpAt >= cutoff || (c.disengagedAt !== null && c.disengagedAt < cutoff) || (c.cancelledAt !== null && c.cancelledAt < cutoff)) continue;
			const evs = byCustomer.get(c.id) ?? [];
			const g = evs.some((e) => bad(e) && Date.parse(e.occurred_at) < cutoff && Date.parse(e.occurred_at) >= cutoff - 60 * DAY) ? groups.bad : groups.clean;
			g.n++;
			if (c.state !== 'active') g.churned++;
		}
		const rate = (g: { n: number; churned: number }) => g.churned / g.n;
		expect(groups.bad.n).toBeGreaterThan(50);
		expect(rate(groups.bad)).toBeGreaterThan(1.5 * rate(groups.clean));
		// Not trivial: most customers with a bad experience stay, and some without one leave.
		expect(rate(groups.bad)).toBeLessThan(0.7);
		expect(groups.clean.churned).toBeGreaterThan(0);
	});
});
