// Segment profiles: how many customers, what they pay, how often they show up, how much they tolerate.
import type { Channel } from '../../shared/events';
import type { Segment } from './types';

export interface SegmentProfile {
	share: number;
	plans: readonly string[];
	/** Median monthly value (log-normal spread 0.5). */
	monthlyValue: number;
	/** Median purchase value. */
	purchaseValue: number;
	/** Expected events per active day at engagement 1. */
	visitsPerDay: number;
	purchasesPerDay: number;
	ticketsPerDay: number;
	complaintsPerDay: number;
	praisePerDay: number;
	/** Mean and spread of the true tolerance limit (debt points). */
	tolerance: readonly [number, number];
	/** Share of customers crossing their tolerance who also send a formal cancellation. */
	cancelShare: number;
	/** Daily hazard of leaving for reasons outside the experience (moved, budget, competitor deal). */
	randomChurnPerDay: number;
	/** Median first-response time of support, hours. */
	firstResponseHours: number;
	channels: Partial<Record<Channel, number>>;
}

export const SEGMENT_PROFILES: Record<Segment, SegmentProfile> = {
	consumer: {
		share: 0.62,
		plans: ['basic', 'plus', 'family'],
		monthlyValue: 25,
		purchaseValue: 38,
		visitsPerDay: 0.08,
		purchasesPerDay: 0.018,
		ticketsPerDay: 0.0035,
		complaintsPerDay: 0.0012,
		praisePerDay: 0.0008,
		tolerance: [38, 10],
		cancelShare: 0.45,
		randomChurnPerDay: 0.0003,
		firstResponseHours: 4,
		channels: { web: 4, app: 5, email: 1, social: 1, store: 1.5, chat: 1 }
	},
	smb: {
		share: 0.25,
		plans: ['team', 'business'],
		monthlyValue: 420,
		purchaseValue: 260,
		visitsPerDay: 0.12,
		purchasesPerDay: 0.022,
		ticketsPerDay: 0.006,
		complaintsPerDay: 0.0012,
		praisePerDay: 0.0008,
		tolerance: [44, 10],
		cancelShare: 0.6,
		randomChurnPerDay: 0.00025,
		firstResponseHours: 2.5,
		channels: { web: 5, app: 2, email: 3, phone: 1.5, chat: 2 }
	},
	enterprise: {
		share: 0.08,
		plans: ['enterprise'],
		monthlyValue: 5200,
		purchaseValue: 1900,
		visitsPerDay: 0.2,
		purchasesPerDay: 0.025,
		ticketsPerDay: 0.012,
		complaintsPerDay: 0.0015,
		praisePerDay: 0.001,
		tolerance: [55, 12],
		cancelShare: 0.7,
		randomChurnPerDay: 0.00012,
		firstResponseHours: 1,
		channels: { web: 4, email: 4, phone: 3, chat: 1 }
	},
	vip: {
		share: 0.05,
		plans: ['premium', 'premium-plus'],
		monthlyValue: 950,
		purchaseValue: 320,
		visitsPerDay: 0.18,
		purchasesPerDay: 0.05,
		ticketsPerDay: 0.008,
		complaintsPerDay: 0.0015,
		praisePerDay: 0.0015,
		tolerance: [30, 8],
		cancelShare: 0.55,
		randomChurnPerDay: 0.0002,
		firstResponseHours: 0.6,
		channels: { app: 4, web: 3, store: 3, phone: 2, chat: 2 }
	}
};

export const REGIONS = ['eu-west', 'eu-central', 'uk', 'us-east', 'us-west', 'apac', 'latam'] as const;
export const ACQUISITION = ['search', 'referral', 'social', 'partner', 'store', 'campaign'] as const;

export const FIRST_NAMES = [
	'Ada', 'Ben', 'Chloe', 'David', 'Elena', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kaja', 'Liam', 'Mira', 'Noah',
	'Olga', 'Pablo', 'Qing', 'Rosa', 'Sami', 'Tara', 'Umar', 'Vera', 'Wen', 'Ximena', 'Yusuf', 'Zoe', 'Aiko', 'Bruno',
	'Carmen', 'Dmitri', 'Emma', 'Felix', 'Greta', 'Hana', 'Ivan', 'Julia', 'Kofi', 'Lena', 'Marco', 'Nina'
] as const;
export const LAST_NAMES = [
	'Adler', 'Baker', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Hansen', 'Ito', 'Jensen', 'Kowalski', 'Lopez',
	'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Quinn', 'Rossi', 'Silva', 'Tanaka', 'Ueda', 'Varga', 'Weber', 'Xu',
	'Yilmaz', 'Zhang', 'Novak', 'Schmidt', 'Murphy', 'Lindqvist'
] as const;
export const COMPANY_WORDS = [
	'Acme', 'Blue', 'Cedar', 'Delta', 'Echo', 'Fjord', 'Granite', 'Harbor', 'Iris', 'Juniper', 'Kite', 'Lumen', 'Maple',
	'Nimbus', 'Orbit', 'Pine', 'Quartz', 'River', 'Summit', 'Tidal', 'Umbra', 'Vector', 'Willow', 'Zenith'
] as const;
export const COMPANY_SUFFIXES = ['Labs', 'GmbH', 'Ltd', 'Group', 'Systems', 'Logistics', 'Studio', 'Partners', 'Foods', 'Retail'] as const;

/** Support agents: ids and a hidden skill that shows in reopen rates and CSAT. */
export const AGENT_COUNT = 36;
