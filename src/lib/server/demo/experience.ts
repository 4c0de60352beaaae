// Experience debt as the simulated customer feels it: the same weights and half-life as the product's
// tolerance module (DESIGN §5), plus experiences the product never sees. Bad experiences add points,
// good ones pay them back, everything decays.
import { DEFAULT_TOLERANCE, RATING_BOUNDS, type ExperienceKind } from '../alerts/tolerance-defaults';
import type { DemoEvent, SimCustomer } from './types';
import { DAY_MS } from './time-profile';

export const HALF_LIFE_DAYS = DEFAULT_TOLERANCE.halfLifeDays;
export const SLA_HOURS = DEFAULT_TOLERANCE.firstResponseSlaHours;
const W = DEFAULT_TOLERANCE.weights;
const B = RATING_BOUNDS;

export function debtAt(c: SimCustomer, t: number): number {
	if (t <= c.debtAt) return c.debt;
	return c.debt * Math.pow(0.5, (t - c.debtAt) / (HALF_LIFE_DAYS * DAY_MS));
}

/** Adds points (negative pays back) at time t; debt never goes below zero. */
export function addDebt(c: SimCustomer, points: number, t: number): void {
	const now = Math.max(t, c.debtAt);
	c.debt = Math.max(0, debtAt(c, now) + points);
	c.debtAt = now;
}

/** How the customer feels right now, 0..1: their baseline happiness minus the weight of their debt. */
export function moodAt(c: SimCustomer, t: number): number {
	const m = c.satisfaction - 0.55 * (debtAt(c, t) / c.tolerance);
	return Math.min(1, Math.max(0, m));
}

export function debtRatio(c: SimCustomer, t: number): number {
	return debtAt(c, t) / c.tolerance;
}

/** The experience kind an event stands for, classified exactly as the tolerance module does. */
export function experienceOf(e: Pick<DemoEvent, 'type' | 'rating'>): ExperienceKind | null {
	const r = e.rating ?? NaN;
	switch (e.type) {
		case 'survey_csat':
			return r <= B.csatLowMax ? 'csat_low' : r >= B.csatHighMin ? 'csat_high' : null;
		case 'survey_nps':
			return r <= B.npsDetractorMax ? 'nps_detractor' : r >= B.npsPromoterMin ? 'nps_promoter' : null;
		case 'survey_ces':
			return r <= B.cesLowMax ? 'ces_low' : null;
		case 'complaint':
			return 'complaint';
		case 'refund':
			return 'refund';
		case 'support_reopened':
			return 'ticket_reopened';
		case 'praise':
			return 'praise';
		case 'purchase':
			return 'purchase';
		default:
			return null;
	}
}

export function pointsOf(kind: ExperienceKind): number {
	return W[kind];
}
