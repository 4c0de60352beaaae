// The range of every tolerance setting, checked by the one validation the Settings form and PUT
// /api/v1/alerts/tolerance share (saveToleranceSettings; the API's schema asks the same function so it can
// name its snake_case fields). The upper bounds are far beyond any sensible setting yet keep the debt
// arithmetic well inside a DOUBLE: a weight of 1e308 made every later decay overflow.

/** A bounded setting: a weight (any kind) or one of the segment's numbers. */
export type BoundedSetting = 'weight' | 'halfLifeDays' | 'limit' | 'firstResponseSlaHours';

interface Range {
	/** Exclusive lower bound (a half-life, limit or SLA must be more than 0), else inclusive. */
	min: number;
	minExclusive: boolean;
	max: number;
	unit: string;
}

export const TOLERANCE_RANGES: Record<BoundedSetting, Range> = {
	// Negative weights pay debt back (good experiences); ±1,000 is 25 times the default limit per event.
	weight: { min: -1000, minExclusive: false, max: 1000, unit: 'points' },
	// Ten years: longer never decays within a customer's life anyway.
	halfLifeDays: { min: 0, minExclusive: true, max: 3650, unit: 'days' },
	// Reachable with the largest weights (1,000 events at 1,000 points).
	limit: { min: 0, minExclusive: true, max: 1_000_000, unit: 'points' },
	// One year: a first reply later than that is not a response time any more.
	firstResponseSlaHours: { min: 0, minExclusive: true, max: 8760, unit: 'hours' }
};

const n = (x: number) => x.toLocaleString('en-US');

/** The range in words: "more than 0 and at most 3,650 days", "from -1,000 to 1,000 points". */
export function rangeText(which: BoundedSetting): string {
	const r = TOLERANCE_RANGES[which];
	return r.minExclusive ? `more than ${n(r.min)} and at most ${n(r.max)} ${r.unit}` : `from ${n(r.min)} to ${n(r.max)} ${r.unit}`;
}

/** Why `v` is refused ("must be more than 0 and at most 3,650 days"); null when it is in range. */
export function outOfRange(which: BoundedSetting, v: number): string | null {
	const r = TOLERANCE_RANGES[which];
	const ok = Number.isFinite(v) && (r.minExclusive ? v > r.min : v >= r.min) && v <= r.max;
	return ok ? null : `must be ${rangeText(which)}`;
}
