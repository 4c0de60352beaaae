// Survey answers: a latent score built from the customer's mood and what just happened, plus
// personal noise, mapped onto each survey's scale. Ratings are always within DESIGN §3 ranges.
import type { Rng } from './rng';

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export interface TicketExperience {
	firstResponseHours: number;
	resolutionHours: number;
	reopened: boolean;
	/** The agent's skill, standard-normal. */
	agentSkill: number;
}

/** CSAT after a solved ticket, 1..5. */
export function rateCsat(rng: Rng, mood: number, t: TicketExperience): number {
	// Waiting hurts most around and beyond the 8 h SLA.
	const slow = Math.min(1.5, t.firstResponseHours / 8);
	const long = Math.min(1, t.resolutionHours / 96);
	const q = 0.95 + 0.45 * (mood - 0.6) + 0.07 * t.agentSkill - 0.25 * slow - 0.1 * long - 0.22 * (t.reopened ? 1 : 0) + rng.normal(0, 0.16);
	return clamp(1 + Math.floor(q * 5), 1, 5);
}

/** NPS relationship survey, 0..10. */
export function rateNps(rng: Rng, mood: number): number {
	const q = 0.8 + 0.7 * (mood - 0.6) + rng.normal(0, 0.16);
	return clamp(Math.round(q * 10), 0, 10);
}

/** Customer effort after a purchase or a ticket, 1..7 (7 = very easy). `effort` 0..1 is the friction met. */
export function rateCes(rng: Rng, mood: number, effort: number): number {
	const q = 0.78 + 0.35 * (mood - 0.6) - 0.45 * effort + rng.normal(0, 0.16);
	return clamp(1 + Math.round(q * 6), 1, 7);
}

/** CSAT prompt after a digital visit or purchase, 1..5; `failed` when the channel was down. */
export function rateInteractionCsat(rng: Rng, mood: number, failed: boolean): number {
	const q = 0.9 + 0.4 * (mood - 0.6) - (failed ? 0.55 : 0) + rng.normal(0, 0.15);
	return clamp(1 + Math.floor(q * 5), 1, 5);
}
