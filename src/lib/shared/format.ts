// Units and number formatting shared by the overview, drill-downs and walls. Times: time-zone.ts (the
// display zone) through time-display.svelte.ts.
export type MetricUnit = 'percent' | 'score' | 'seconds' | 'count' | 'currency' | 'days';
/** Which way is good. */
export type Direction = 'up' | 'down';

export const WINDOWS = ['15m', '1h', '24h', '7d', '30d'] as const;
export type WindowId = (typeof WINDOWS)[number];
export const WINDOW_LABELS: Record<WindowId, string> = {
	'15m': '15 min',
	'1h': '1 h',
	'24h': '24 h',
	'7d': '7 d',
	'30d': '30 d'
};
export const WINDOW_MS: Record<WindowId, number> = {
	'15m': 15 * 60_000,
	'1h': 3_600_000,
	'24h': 86_400_000,
	'7d': 7 * 86_400_000,
	'30d': 30 * 86_400_000
};

export function isWindowId(s: string | null | undefined): s is WindowId {
	return !!s && (WINDOWS as readonly string[]).includes(s);
}

export const CURRENCY = 'GBP';

function num(v: number, digits: number): string {
	return v.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** Seconds as s / min / h / d with one decimal where useful. */
export function formatDuration(secs: number): string {
	const a = Math.abs(secs);
	if (a < 60) return `${num(secs, a < 10 ? 1 : 0)} s`;
	if (a < 3600) return `${num(secs / 60, 1)} min`;
	if (a < 86_400) return `${num(secs / 3600, 1)} h`;
	return `${num(secs / 86_400, 1)} d`;
}

export function formatCompact(v: number): string {
	const a = Math.abs(v);
	if (a >= 1e9) return `${num(v / 1e9, 1)} bn`;
	if (a >= 1e6) return `${num(v / 1e6, 1)} m`;
	if (a >= 1e4) return `${num(v / 1e3, 1)} k`;
	return num(v, a < 10 && !Number.isInteger(v) ? 1 : 0);
}

/** A value with its unit; '—' for no data. */
export function formatValue(v: number | null | undefined, unit: MetricUnit): string {
	if (v === null || v === undefined || !Number.isFinite(v)) return '—';
	switch (unit) {
		case 'percent':
			return `${num(v, 1)} %`;
		case 'score':
			return num(v, 0);
		case 'seconds':
			return formatDuration(v);
		case 'count':
			return formatCompact(v);
		case 'currency':
			return `£${formatCompact(v)}`;
		case 'days':
			return `${num(v, 0)} d`;
	}
}

/** The size of a change as shown: percentage points for rates, the unit otherwise. */
function deltaMagnitude(a: number, unit: MetricUnit): string {
	if (unit === 'percent') return `${num(a, 1)} pp`;
	if (unit === 'score') return `${num(a, 0)} pts`;
	return formatValue(a, unit);
}

/** A change too small to show at the unit's precision ("+0 pp (worse)" said nothing true). */
function showsAsZero(d: number, unit: MetricUnit): boolean {
	return !/[1-9]/.test(deltaMagnitude(Math.abs(d), unit));
}

/** A change between windows, always signed; ± when it rounds to nothing. */
export function formatDelta(d: number | null | undefined, unit: MetricUnit): string {
	if (d === null || d === undefined || !Number.isFinite(d)) return 'no previous data';
	const sign = showsAsZero(d, unit) ? '±' : d > 0 ? '+' : '−';
	return `${sign}${deltaMagnitude(Math.abs(d), unit)}`;
}

/**
 * 'good' | 'bad' | 'flat' for a delta given the metric's direction (colour plus arrow plus text); flat when the
 * change rounds to nothing in `unit`.
 */
export function deltaTone(d: number | null | undefined, direction: Direction, unit?: MetricUnit): 'good' | 'bad' | 'flat' {
	if (d === null || d === undefined || !Number.isFinite(d) || Math.abs(d) < 1e-9) return 'flat';
	if (unit && showsAsZero(d, unit)) return 'flat';
	return (d > 0) === (direction === 'up') ? 'good' : 'bad';
}

export function formatAge(secs: number): string {
	if (secs < 90) return `${Math.round(secs)} s`;
	if (secs < 5400) return `${Math.round(secs / 60)} min`;
	return `${Math.round(secs / 3600)} h`;
}

/**
 * A churn probability, and a risk band's bound, to 0.1 %: bounds are fitted on validation scores
 * (16.14 %), so whole percents showed two customers as "16 %" in different bands. The one formatter for
 * both, so "high from 16.1 %" and a score of "16.1 %" round alike. Claims no certainty the model does
 * not have: 0.9997 is "> 99.9 %", 0.0003 is "< 0.1 %"; only exactly 0 and 1 read "0 %" and "100 %".
 */
export function chance(p: number): string {
	if (p === 0 || p === 1) return `${p * 100} %`;
	if (p > 0.999 && p < 1) return '> 99.9 %';
	if (p > 0 && p < 0.001) return '< 0.1 %';
	return `${(p * 100).toFixed(1)} %`;
}

/**
 * Experience debt and tolerance points, to 0.1 (the README's precision), without the unit: "58.5", "23".
 * The one formatter for the work list, the customer pages and the chart, so one customer's debt reads alike
 * everywhere (the customer page said 58.49 where the work list said 58.5).
 */
export function points(v: number): string {
	return num(v, 1);
}
