// Customers of the demo world. Traits come from a per-customer random stream (seed, index), so a
// live process can rebuild the hidden traits of a stored customer without storing them.
import type { Channel } from '../../shared/events';
import { hashSeed, Rng } from './rng';
import {
	ACQUISITION,
	COMPANY_SUFFIXES,
	COMPANY_WORDS,
	FIRST_NAMES,
	LAST_NAMES,
	REGIONS,
	SEGMENT_PROFILES
} from './segments';
import { SEGMENTS, type Segment, type SimCustomer } from './types';

const ID_PREFIX = 'demo-c';

export function customerId(index: number): string {
	return `${ID_PREFIX}${String(index).padStart(6, '0')}`;
}

/** The index of a demo customer id, or null for any other id. */
export function parseCustomerIndex(id: string): number | null {
	const m = /^demo-c(\d+)$/.exec(id);
	return m ? Number(m[1]) : null;
}

function pickSegment(rng: Rng): Segment {
	const weights = Object.fromEntries(SEGMENTS.map((s) => [s, SEGMENT_PROFILES[s].share])) as Record<Segment, number>;
	return rng.weighted(weights);
}

function pickName(rng: Rng, segment: Segment): string {
	if (segment === 'smb' || segment === 'enterprise') return `${rng.pick(COMPANY_WORDS)} ${rng.pick(COMPANY_SUFFIXES)}`;
	return `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
}

function personalChannels(rng: Rng, segment: Segment): Partial<Record<Channel, number>> {
	const out: Partial<Record<Channel, number>> = {};
	for (const [ch, w] of Object.entries(SEGMENT_PROFILES[segment].channels)) {
		// Each customer leans towards some channels: the same segment weights, individually skewed.
		out[ch as Channel] = w * rng.logNormal(1, 0.7);
	}
	return out;
}

const cents = (x: number) => Math.round(x * 100) / 100;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Creates customer `index` of the world with `seed`, signed up at `signedUpAt` (ms). */
export function createCustomer(seed: number, index: number, signedUpAt: number): SimCustomer {
	const rng = new Rng(hashSeed('customer', seed, index));
	const segment = pickSegment(rng);
	const p = SEGMENT_PROFILES[segment];
	const [tolMean, tolSd] = p.tolerance;
	const tolerance = Math.max(12, rng.normal(tolMean, tolSd));
	const id = customerId(index);
	const region = rng.pick(REGIONS);
	return {
		index,
		id,
		segment,
		signedUpAt,
		satisfaction: clamp(rng.normal(0.66, 0.14), 0.15, 0.98),
		tolerance,
		engagement: rng.logNormal(0.9, 0.5),
		proneness: rng.logNormal(0.85, 0.6),
		channels: personalChannels(rng, segment),
		debt: 0,
		debtAt: signedUpAt,
		state: 'active',
		crossings: [],
		disengagedAt: null,
		cancelledAt: null,
		churnCause: null,
		recoveries: 0,
		lastActiveAt: null,
		record: {
			customer_id: id,
			name: pickName(rng, segment),
			segment,
			plan: rng.pick(p.plans),
			region,
			signed_up_at: new Date(signedUpAt).toISOString(),
			monthly_value: cents(rng.logNormal(p.monthlyValue, 0.5)),
			// What an account manager would guess: right on average, off by ~20 % for a given customer.
			tolerance: Math.round(tolerance * rng.logNormal(1, 0.2)),
			attrs: { acquisition: rng.pick(ACQUISITION), source: 'demo' }
		}
	};
}
