// When in the day customers act: a daily curve (UTC) used for both day-sized history steps and
// sub-second live steps, so live traffic follows the same rhythm as the history.
import type { Rng } from './rng';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

// Quiet nights, a morning rise, lunch bump, evening peak.
const RAW = [0.25, 0.15, 0.1, 0.1, 0.12, 0.2, 0.45, 0.8, 1.1, 1.25, 1.3, 1.35, 1.45, 1.35, 1.25, 1.2, 1.25, 1.4, 1.6, 1.75, 1.7, 1.4, 0.9, 0.5];
const TOTAL = RAW.reduce((a, b) => a + b, 0);
/** Share of a day's activity falling in each UTC hour (sums to 1). */
export const HOUR_WEIGHTS: readonly number[] = RAW.map((w) => w / TOTAL);
const CUMULATIVE = HOUR_WEIGHTS.map(((s) => (w: number) => (s += w))(0));

/** How busy the hour of `t` is against the day's mean hour (1 = average, 0.1 at night). */
export function hourActivity(t: number): number {
	return HOUR_WEIGHTS[Math.floor((((t % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS)] * 24;
}

/** Fraction of one day's activity that falls in [t0, t1). */
export function activityMass(t0: number, t1: number): number {
	if (t1 - t0 >= DAY_MS) return (t1 - t0) / DAY_MS;
	let mass = 0;
	let t = t0;
	while (t < t1) {
		const hourEnd = (Math.floor(t / HOUR_MS) + 1) * HOUR_MS;
		const end = Math.min(hourEnd, t1);
		const hour = Math.floor((t % DAY_MS) / HOUR_MS);
		mass += (HOUR_WEIGHTS[hour] * (end - t)) / HOUR_MS;
		t = end;
	}
	return mass;
}

/** A moment in [t0, t1) drawn along the daily curve (uniform when the span is under an hour). */
export function sampleTime(rng: Rng, t0: number, t1: number): number {
	if (t1 - t0 < HOUR_MS) return t0 + Math.floor(rng.next() * (t1 - t0));
	if (t1 - t0 !== DAY_MS || t0 % DAY_MS !== 0) {
		// Rejection sampling against the hourly curve for spans that are not one aligned day.
		const maxW = Math.max(...HOUR_WEIGHTS);
		for (let i = 0; i < 50; i++) {
			const t = t0 + Math.floor(rng.next() * (t1 - t0));
			if (rng.next() * maxW < HOUR_WEIGHTS[Math.floor((t % DAY_MS) / HOUR_MS)]) return t;
		}
		return t0 + Math.floor(rng.next() * (t1 - t0));
	}
	const x = rng.next();
	let hour = CUMULATIVE.findIndex((c) => x < c);
	if (hour < 0) hour = 23;
	return t0 + hour * HOUR_MS + Math.floor(rng.next() * HOUR_MS);
}
