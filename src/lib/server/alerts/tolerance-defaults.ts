// Default tolerance settings (DESIGN §5). A segment without a row in tolerance_settings uses these;
// a customer's own `customers.tolerance` overrides the limit.

/** Experiences that add debt (positive weight) or pay it back (negative weight). */
export const BAD_KINDS = [
	'csat_low',
	'nps_detractor',
	'ces_low',
	'complaint',
	'refund',
	'slow_first_response',
	'ticket_reopened',
	'repeat_contact'
] as const;
export const GOOD_KINDS = ['csat_high', 'nps_promoter', 'praise', 'purchase'] as const;
export const EXPERIENCE_KINDS = [...BAD_KINDS, ...GOOD_KINDS] as const;
export type ExperienceKind = (typeof EXPERIENCE_KINDS)[number];

export const EXPERIENCE_LABELS: Record<ExperienceKind, string> = {
	csat_low: 'Low CSAT (1–2)',
	nps_detractor: 'NPS detractor (0–6)',
	ces_low: 'High effort (CES 1–3)',
	complaint: 'Complaint',
	refund: 'Refund',
	slow_first_response: 'First response beyond SLA',
	ticket_reopened: 'Ticket reopened',
	repeat_contact: 'Repeat contact on a ticket within 7 days',
	csat_high: 'High CSAT (4–5)',
	nps_promoter: 'NPS promoter (9–10)',
	praise: 'Praise',
	purchase: 'Purchase'
};

export interface ToleranceSettings {
	/** Points per experience: positive adds debt, negative removes it. */
	weights: Record<ExperienceKind, number>;
	halfLifeDays: number;
	/** Debt at or above this opens a customer alert. */
	limit: number;
	/** A first agent reply later than this after the ticket opened counts as a bad experience. */
	firstResponseSlaHours: number;
}

export const DEFAULT_TOLERANCE: ToleranceSettings = {
	weights: {
		csat_low: 10,
		nps_detractor: 10,
		ces_low: 6,
		complaint: 15,
		refund: 8,
		slow_first_response: 6,
		ticket_reopened: 8,
		repeat_contact: 5,
		csat_high: -4,
		nps_promoter: -6,
		praise: -6,
		purchase: -1
	},
	halfLifeDays: 30,
	limit: 40,
	firstResponseSlaHours: 8
};

/** Days within which a second contact on the same ticket counts as a repeat contact. */
export const REPEAT_CONTACT_DAYS = 7;
/** Rating bounds of the survey kinds (inclusive). */
export const RATING_BOUNDS = {
	csatLowMax: 2,
	csatHighMin: 4,
	npsDetractorMax: 6,
	npsPromoterMin: 9,
	cesLowMax: 3
} as const;
