// The support desk: tickets open, an agent replies after a first-response time that grows with the
// recent ticket load and during a slow-support incident, the ticket is solved, sometimes reopened,
// and sometimes a CSAT/CES survey follows.
import type { Channel } from '../../shared/events';
import { moodAt, pointsOf, SLA_HOURS } from './experience';
import { hashSeed, Rng } from './rng';
import { AGENT_COUNT, SEGMENT_PROFILES } from './segments';
import { rateCes, rateCsat } from './surveys';
import { HOUR_MS, HOUR_WEIGHTS } from './time-profile';
import type { SimCustomer } from './types';
import type { DemoWorld } from './world';

export interface Agent {
	id: string;
	/** Standard-normal; better agents get fewer reopens and better CSAT. */
	skill: number;
}

interface Opening {
	c: SimCustomer;
	at: number;
	channel: Channel;
	topic: string;
	cause: string;
	/** 1 / the customer's intensity: the load factor counts tickets at the history's pace. */
	weight: number;
	/** Set for a warm-up ticket: stored only if it is still in progress at this moment. */
	storeIfOpenAt: number | null;
}

/** How much faster or slower a channel's first response is than the segment's median. */
const CHANNEL_SPEED: Partial<Record<Channel, number>> = { phone: 0.12, chat: 0.3, email: 1.4, web: 1, app: 1, social: 0.8 };
export const SUPPORT_CHANNELS: Partial<Record<Channel, number>> = { email: 4, chat: 3, phone: 2, web: 1.5, app: 1, social: 0.5 };
const TOPICS = ['billing', 'delivery', 'login', 'product', 'account', 'returns'] as const;
/** Hours of openings compared with the usual rate to judge the current load. */
const LOAD_WINDOW_HOURS = 6;
/** Caps keep every ticket within ~8 days (72 h first response + at most 3 gaps of 36 h). */
const MAX_GAP_HOURS = 36;

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export class SupportDesk {
	readonly agents: Agent[];
	private pending: Opening[] = [];
	private collecting = false;
	private readonly hourly = new Map<number, number>();
	private expectedPerDay = 0;
	/** While set (a live warm-up), new tickets are stored only if still in progress at this moment. */
	private warmUntil: number | null = null;

	constructor(private readonly world: DemoWorld) {
		const rng = new Rng(hashSeed('agents', world.seed));
		this.agents = Array.from({ length: AGENT_COUNT }, (_, i) => ({
			id: `agent-${String(i + 1).padStart(2, '0')}`,
			skill: rng.normal(0, 1)
		}));
	}

	/** Collected during a step and scheduled together, so load reflects every ticket of the step. */
	requestTicket(c: SimCustomer, at: number, channel: Channel, cause: string): void {
		const o = { c, at, channel, cause, topic: this.world.rng.pick(TOPICS), weight: 1 / this.world.intensityFor(c, at), storeIfOpenAt: this.warmUntil };
		// While the world replays its queue, a ticket (e.g. after an outage) is scheduled at once.
		if (this.collecting) this.pending.push(o);
		else this.schedule(o);
	}

	/** From here until scheduleOpenings(), tickets are collected rather than scheduled one by one. */
	collectOpenings(): void {
		this.collecting = true;
	}

	scheduleOpenings(): void {
		this.collecting = false;
		const openings = this.pending.sort((a, b) => a.at - b.at || a.c.index - b.c.index);
		this.pending = [];
		for (const o of openings) this.schedule(o);
	}

	/**
	 * From here until endWarmUp(), tickets open as usual but one finished before `until` is left out
	 * entirely: it counts towards the load, nothing of it is stored (see DemoWorld.warmUp). The load
	 * recorded since `from` is forgotten: the warm-up's tickets stand for the same customers' demand
	 * as the history's tickets of those hours, and counting both read as a surge (load factor 1.6).
	 */
	beginWarmUp(from: number, until: number): void {
		this.warmUntil = until;
		for (const hour of [...this.hourly.keys()]) if (hour >= Math.floor(from / HOUR_MS)) this.hourly.delete(hour);
	}

	endWarmUp(): void {
		this.warmUntil = null;
	}

	/** Tickets the current population would open per day on an ordinary day at the history's pace (set every step). */
	expectDailyOpenings(n: number): void {
		this.expectedPerDay = n;
	}

	/**
	 * Recent openings relative to what the population usually opens at these hours: 1 is normal.
	 * Both sides are at the history's pace (live tickets count 1/intensity each), so live's changing
	 * intensity (steered up at night, down at the evening peak) and its start on top of the history's
	 * sparse hours do not read as a lull or a surge.
	 */
	loadFactor(at: number): number {
		const hour = Math.floor(at / HOUR_MS);
		let recent = 0;
		let usual = 0;
		for (let h = hour - LOAD_WINDOW_HOURS + 1; h <= hour; h++) {
			recent += this.hourly.get(h) ?? 0;
			usual += this.expectedPerDay * HOUR_WEIGHTS[((h % 24) + 24) % 24];
		}
		if (usual <= 0) return 1;
		// A small desk sees Poisson noise; count the expected load in too so one extra ticket is no surge.
		return clamp(Math.pow((recent + usual) / (2 * usual), 0.9), 0.7, 4);
	}

	/** Finishes a ticket left open by the stored history, starting from `now`. */
	resumeTicket(c: SimCustomer, ticketId: string, channel: Channel, agentId: string | null, replied: boolean, openedAt: number, now: number): void {
		const w = this.world;
		const rng = w.rng;
		const agent = this.agents.find((a) => a.id === agentId) ?? rng.pick(this.agents);
		let t = now + rng.uniform(1, 120) * 60_000;
		const state = { reopened: false, firstResponseHours: replied ? 1 : (t - openedAt) / HOUR_MS };
		if (!replied) {
			const replyAt = t;
			w.queue.push(replyAt, () => w.emit(c, replyAt, { type: 'support_reply', channel, ticket_id: ticketId, agent_id: agent.id }));
			t += rng.logNormal(2, 0.8) * HOUR_MS;
		}
		const solveAt = t + rng.uniform(5, 60) * 60_000;
		w.queue.push(solveAt, () => this.solve(c, ticketId, channel, agent, solveAt, openedAt, state, 0));
	}

	private record(at: number, weight: number): void {
		const hour = Math.floor(at / HOUR_MS);
		this.hourly.set(hour, (this.hourly.get(hour) ?? 0) + weight);
		this.hourly.delete(hour - 48);
	}

	private schedule(o: Opening): void {
		const w = this.world;
		const rng = w.rng;
		const { c, at, channel } = o;
		this.record(at, o.weight);
		const incident = w.incidents.at(at);
		const slowTeam = incident?.kind === 'slow_support' ? 1 + 3.5 * incident.severity : 1;
		const base = SEGMENT_PROFILES[c.segment].firstResponseHours * (CHANNEL_SPEED[channel] ?? 1);
		// A ticket raised on a channel that is down waits at least until the channel is back.
		const downUntil = incident?.kind === 'channel_outage' && incident.channel === channel ? (incident.end - at) / HOUR_MS : 0;
		const frtHours = Math.min(72, downUntil + rng.logNormal(base, 0.7) * this.loadFactor(at) * slowTeam);
		const agent = rng.pick(this.agents);
		const ticketId = w.nextTicketId();
		const reopenChance = clamp(0.07 * Math.exp(-0.35 * agent.skill) * (slowTeam > 1 ? 1.8 : 1), 0.01, 0.4);
		const extraReplies = rng.chance(0.4) ? (rng.chance(0.3) ? 2 : 1) : 0;
		const state = { opened: false, reopened: false, firstResponseHours: frtHours, solvedAt: at };

		w.customerAct(c, at, () => {
			// Everything is drawn before anything is stored, so a warm-up ticket can be left out whole.
			// A customer left waiting long chases the ticket: a complaint on the same ticket.
			const chaseAt = frtHours > 20 && rng.chance(0.45) ? at + rng.uniform(12, frtHours - 1) * HOUR_MS : null;
			const firstReplyAt = at + frtHours * HOUR_MS;
			const moreReplies: number[] = [];
			let t = firstReplyAt;
			for (let i = 0; i < extraReplies; i++) {
				t += Math.min(rng.logNormal(5, 0.8) * slowTeam, MAX_GAP_HOURS) * HOUR_MS;
				moreReplies.push(t);
			}
			const solveAt = t + Math.min(rng.logNormal(2, 1) * (slowTeam > 1 ? 1.5 : 1), MAX_GAP_HOURS) * HOUR_MS;
			if (o.storeIfOpenAt !== null && solveAt < o.storeIfOpenAt) return;
			state.opened = true;
			w.emit(c, at, { type: 'support_opened', channel, ticket_id: ticketId, attrs: { topic: o.topic, cause: o.cause } });
			if (chaseAt !== null) {
				w.customerAct(c, chaseAt, () => {
					w.emit(c, chaseAt, { type: 'complaint', channel: rng.pick(['email', 'phone', 'social'] as const), ticket_id: ticketId, attrs: { about: 'no_response' } });
					w.experience(c, pointsOf('complaint') + pointsOf('repeat_contact'), chaseAt);
				});
			}
			w.queue.push(firstReplyAt, () => {
				w.emit(c, firstReplyAt, { type: 'support_reply', channel, ticket_id: ticketId, agent_id: agent.id });
				if (frtHours > SLA_HOURS) w.experience(c, pointsOf('slow_first_response'), firstReplyAt);
			});
			for (const replyAt of moreReplies) {
				w.queue.push(replyAt, () => w.emit(c, replyAt, { type: 'support_reply', channel, ticket_id: ticketId, agent_id: agent.id }));
			}
			w.queue.push(solveAt, () => this.solve(c, ticketId, channel, agent, solveAt, at, state, reopenChance));
		});
	}

	private solve(
		c: SimCustomer,
		ticketId: string,
		channel: Channel,
		agent: Agent,
		at: number,
		openedAt: number,
		state: { reopened: boolean; firstResponseHours: number },
		reopenChance: number
	): void {
		const w = this.world;
		const rng = w.rng;
		w.emit(c, at, { type: 'support_solved', channel, ticket_id: ticketId, agent_id: agent.id });
		if (!state.reopened && rng.chance(reopenChance)) {
			const reopenAt = at + rng.uniform(2, 72) * HOUR_MS;
			w.customerAct(c, reopenAt, () => {
				state.reopened = true;
				w.emit(c, reopenAt, { type: 'support_reopened', channel, ticket_id: ticketId });
				w.experience(c, pointsOf('ticket_reopened'), reopenAt);
				const replyAt = reopenAt + rng.logNormal(3, 0.8) * HOUR_MS;
				w.queue.push(replyAt, () => w.emit(c, replyAt, { type: 'support_reply', channel, ticket_id: ticketId, agent_id: agent.id }));
				const solveAt = replyAt + rng.logNormal(2, 0.8) * HOUR_MS;
				w.queue.push(solveAt, () => this.solve(c, ticketId, channel, agent, solveAt, openedAt, state, 0));
			});
			return;
		}
		const experience = {
			firstResponseHours: state.firstResponseHours,
			resolutionHours: (at - openedAt) / HOUR_MS,
			reopened: state.reopened,
			agentSkill: agent.skill
		};
		if (rng.chance(0.42)) {
			// Most answers come within hours of the solve, while the experience is fresh.
			const surveyAt = at + Math.min(24, rng.exponential(3) + 0.25) * HOUR_MS;
			w.customerAct(c, surveyAt, () => {
				const rating = rateCsat(rng, moodAt(c, surveyAt), experience);
				w.emit(c, surveyAt, { type: 'survey_csat', channel: 'email', rating, attrs: { ticket: ticketId } });
				if (rating !== 3) w.experience(c, pointsOf(rating <= 2 ? 'csat_low' : 'csat_high'), surveyAt);
			});
		}
		if (rng.chance(0.2)) {
			const surveyAt = at + rng.uniform(0.5, 24) * HOUR_MS + 60_000;
			w.customerAct(c, surveyAt, () => {
				const effort = Math.min(1, experience.resolutionHours / 72) * 0.6 + (experience.reopened ? 0.4 : 0);
				const rating = rateCes(rng, moodAt(c, surveyAt), effort);
				w.emit(c, surveyAt, { type: 'survey_ces', channel: 'email', rating, attrs: { ticket: ticketId } });
				if (rating <= 3) w.experience(c, pointsOf('ces_low'), surveyAt);
			});
		}
	}
}
