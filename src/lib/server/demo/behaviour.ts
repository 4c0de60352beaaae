// What a customer does in a span of time: visits, purchases (with the occasional refund and effort
// survey), support tickets, complaints, praise, relationship NPS surveys and experiences the product
// never sees. Rates depend on segment, engagement, mood and state; incidents get in the way.
import type { Channel } from '../../shared/events';
import { debtRatio, moodAt, pointsOf } from './experience';
import { SEGMENT_PROFILES } from './segments';
import { rateCes, rateInteractionCsat, rateNps } from './surveys';
import { SUPPORT_CHANNELS } from './support';
import { DAY_MS, HOUR_MS, sampleTime } from './time-profile';
import type { SimCustomer } from './types';
import type { DemoWorld } from './world';

const MINUTE = 60_000;
const VISIT_CHANNELS: readonly Channel[] = ['web', 'app', 'store', 'social'];
const PURCHASE_CHANNELS: readonly Channel[] = ['web', 'app', 'store', 'phone', 'email'];
const NPS_SURVEYS_PER_DAY = 1 / 110;
const HIDDEN_BAD_PER_DAY = 0.03;
const REFUND_SHARE = 0.025;
const VISIT_CSAT_PROMPT = 0.012;

const cents = (x: number) => Math.round(x * 100) / 100;

/** The customer's preferred channel among `allowed` (falls back to the first allowed channel). */
function preferredChannel(world: DemoWorld, c: SimCustomer, allowed: readonly Channel[]): Channel {
	const weights: Partial<Record<Channel, number>> = {};
	let any = false;
	for (const ch of allowed) {
		const w = c.channels[ch];
		if (w) {
			weights[ch] = w;
			any = true;
		}
	}
	return any ? world.rng.weighted(weights) : allowed[0];
}

/** Tickets per day the customers would open on an ordinary day at the history's pace (the support desk's yardstick). */
export function expectedDailyOpenings(customers: readonly SimCustomer[]): number {
	let n = 0;
	for (const c of customers) {
		if (c.state === 'cancelled') continue;
		n += SEGMENT_PROFILES[c.segment].ticketsPerDay * c.proneness * c.engagement * (c.state === 'disengaged' ? 0.5 : 1);
	}
	return n;
}

/** How much the customer wants of the product's invisible trouble: more when they like it less. */
function unhappiness(c: SimCustomer): number {
	return 0.4 + 3 * Math.max(0, 0.72 - c.satisfaction);
}

/** Long-run average of the invisible debt (rate × mean points × mean life of a point). */
export function expectedHiddenDebt(c: SimCustomer, halfLifeDays: number): number {
	return HIDDEN_BAD_PER_DAY * c.proneness * unhappiness(c) * c.engagement * 6.5 * (halfLifeDays / Math.LN2);
}

export function simulateActivity(world: DemoWorld, c: SimCustomer, t0: number, t1: number, mass: number): void {
	const rng = world.rng;
	const p = SEGMENT_PROFILES[c.segment];
	const from = Math.max(t0, c.signedUpAt + 1);
	const mood = moodAt(c, from);
	const ratio = debtRatio(c, from);
	const gone = c.state === 'disengaged';
	const k = world.intensityFor(c, from) * c.engagement * mass;
	const count = (rate: number) => rng.poisson(rate * k);
	const when = () => sampleTime(rng, from, t1);

	for (let i = count(p.visitsPerDay * (gone ? 0.2 : 1) * (0.6 + 0.8 * mood)); i > 0; i--) visit(world, c, when());
	for (let i = count(p.purchasesPerDay * (gone ? 0.06 : 1) * (0.3 + 1.3 * mood)); i > 0; i--) purchase(world, c, when(), from);
	openTickets(world, c, count, when, ratio);
	for (let i = count(p.complaintsPerDay * c.proneness * (0.4 + 2.5 * ratio)); i > 0; i--) {
		const at = when();
		world.customerAct(c, at, () => {
			world.emit(c, at, { type: 'complaint', channel: rng.pick(['email', 'social', 'phone', 'chat'] as const) });
			world.experience(c, pointsOf('complaint'), at);
		});
	}
	for (let i = count(p.praisePerDay * (gone ? 0.2 : 1) * 2.5 * mood * mood); i > 0; i--) {
		const at = when();
		world.customerAct(c, at, () => {
			world.emit(c, at, { type: 'praise', channel: rng.pick(['social', 'email', 'app'] as const) });
			world.experience(c, pointsOf('praise'), at);
		});
	}
	for (let i = count(NPS_SURVEYS_PER_DAY * (gone ? 0.5 : 1)); i > 0; i--) {
		const at = when();
		world.customerAct(c, at, () => {
			const rating = rateNps(rng, moodAt(c, at));
			world.emit(c, at, { type: 'survey_nps', channel: 'email', rating });
			if (rating <= 6) world.experience(c, pointsOf('nps_detractor'), at);
			else if (rating >= 9) world.experience(c, pointsOf('nps_promoter'), at);
		});
	}
	// Trouble the product never records (a late parcel, a buggy update): churn is not fully observable.
	// Customers who like the product less meet more of it; their survey answers give that away.
	for (let i = count(HIDDEN_BAD_PER_DAY * c.proneness * unhappiness(c)); i > 0; i--) {
		const at = when();
		const points = rng.uniform(3, 10);
		world.queue.push(at, () => world.experience(c, points, at));
	}
}

/** Support tickets the customer raises in the span (live's warm-up draws these alone). */
function openTickets(world: DemoWorld, c: SimCustomer, count: (rate: number) => number, when: () => number, ratio: number): void {
	const gone = c.state === 'disengaged';
	for (let i = count(SEGMENT_PROFILES[c.segment].ticketsPerDay * c.proneness * (gone ? 0.5 : 1) * (1 + ratio)); i > 0; i--) {
		world.support.requestTicket(c, when(), preferredChannel(world, c, Object.keys(SUPPORT_CHANNELS) as Channel[]), 'question');
	}
}

/** Only the support tickets of simulateActivity, with the same rates and draws. */
export function simulateTickets(world: DemoWorld, c: SimCustomer, t0: number, t1: number, mass: number): void {
	const rng = world.rng;
	const from = Math.max(t0, c.signedUpAt + 1);
	const k = world.intensityFor(c, from) * c.engagement * mass;
	openTickets(world, c, (rate) => rng.poisson(rate * k), () => sampleTime(rng, from, t1), debtRatio(c, from));
}

/** Outage on the customer's channel: the attempt fails, and some customers complain or call. */
function hitOutage(world: DemoWorld, c: SimCustomer, at: number, severity: number): void {
	const rng = world.rng;
	world.experience(c, 4 * severity, at);
	if (rng.chance(0.25 * severity)) {
		const t = at + rng.uniform(2, 45) * MINUTE;
		world.customerAct(c, t, () => {
			world.emit(c, t, { type: 'complaint', channel: rng.pick(['social', 'email', 'phone'] as const), attrs: { about: 'outage' } });
			world.experience(c, pointsOf('complaint'), t);
		});
	}
	if (rng.chance(0.3 * severity)) world.support.requestTicket(c, at + rng.uniform(5, 90) * MINUTE, rng.pick(['phone', 'chat', 'email'] as const), 'outage');
}

function visit(world: DemoWorld, c: SimCustomer, at: number): void {
	const channel = preferredChannel(world, c, VISIT_CHANNELS);
	world.customerAct(c, at, () => {
		const incident = world.incidents.at(at);
		const down = incident?.kind === 'channel_outage' && incident.channel === channel;
		world.emit(c, at, { type: 'visit', channel, attrs: down ? { failed: true } : null });
		if (down) hitOutage(world, c, at, incident.severity);
		if ((channel === 'web' || channel === 'app') && world.rng.chance(down ? 0.3 : VISIT_CSAT_PROMPT)) interactionSurvey(world, c, at, channel, down);
	});
}

/** The in-product "how was it?" prompt: answered within minutes, so it moves with incidents. */
function interactionSurvey(world: DemoWorld, c: SimCustomer, at: number, channel: Channel, failed: boolean): void {
	const t = at + world.rng.uniform(1, 20) * MINUTE;
	world.customerAct(c, t, () => {
		const rating = rateInteractionCsat(world.rng, moodAt(c, t), failed);
		world.emit(c, t, { type: 'survey_csat', channel, rating, attrs: { after: failed ? 'failed_visit' : 'visit' } });
		if (rating <= 2) world.experience(c, pointsOf('csat_low'), t);
		else if (rating >= 4) world.experience(c, pointsOf('csat_high'), t);
	});
}

function purchase(world: DemoWorld, c: SimCustomer, at: number, earliest: number): void {
	const rng = world.rng;
	const p = SEGMENT_PROFILES[c.segment];
	const channel = preferredChannel(world, c, PURCHASE_CHANNELS);
	const browseAt = at - rng.uniform(2, 25) * MINUTE;
	const browses = (channel === 'web' || channel === 'app') && browseAt >= earliest && rng.chance(0.6);
	if (browses) world.customerAct(c, browseAt, () => world.emit(c, browseAt, { type: 'visit', channel }));
	world.customerAct(c, at, () => {
		const incident = world.incidents.at(at);
		if (incident?.kind === 'channel_outage' && incident.channel === channel) {
			// The sale is lost; what remains visible is the failed attempt and its fallout.
			world.emit(c, at, { type: 'visit', channel, attrs: { failed: true } });
			hitOutage(world, c, at, incident.severity);
			return;
		}
		const value = cents(rng.logNormal(p.purchaseValue, 0.6));
		world.emit(c, at, { type: 'purchase', channel, value });
		world.experience(c, pointsOf('purchase'), at);
		afterPurchase(world, c, at, value, channel);
	});
}

function afterPurchase(world: DemoWorld, c: SimCustomer, at: number, value: number, channel: Channel): void {
	const rng = world.rng;
	if (rng.chance(0.07)) {
		const t = at + rng.uniform(1, 48) * HOUR_MS;
		world.customerAct(c, t, () => {
			const rating = rateCes(rng, moodAt(c, t), rng.chance(0.15) ? rng.uniform(0.3, 1) : 0);
			world.emit(c, t, { type: 'survey_ces', channel: 'email', rating, attrs: { after: 'purchase' } });
			if (rating <= 3) world.experience(c, pointsOf('ces_low'), t);
		});
	}
	if (rng.chance(REFUND_SHARE * c.proneness)) {
		const t = at + rng.uniform(1, 14) * DAY_MS;
		if (rng.chance(0.35)) {
			const ct = t - 30 * MINUTE;
			world.customerAct(c, ct, () => {
				world.emit(c, ct, { type: 'complaint', channel: rng.pick(['email', 'phone', 'chat'] as const), attrs: { about: 'order' } });
				world.experience(c, pointsOf('complaint'), ct);
			});
		}
		world.customerAct(c, t, () => {
			const refund = cents(rng.chance(0.7) ? value : value * rng.uniform(0.2, 0.8));
			world.emit(c, t, { type: 'refund', channel: channel === 'store' ? 'store' : 'web', value: refund });
			world.experience(c, pointsOf('refund'), t);
		});
	}
}
