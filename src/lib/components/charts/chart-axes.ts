// Axis arithmetic for the time-series chart. The value axis never runs below zero for a metric that
// cannot be negative (only NPS can), nor past 100 % for a share or past ±100 for NPS, and a duration axis ticks at round minutes, hours or days, each
// tick in the same unit: d3's decimal steps over seconds gave 2.8, 5.6, 8.3 … h (10,000 s apart) and
// a median response time axis starting at "-2.8 h".
import { scaleLinear } from 'd3';
import { formatValue, type MetricUnit } from '$lib/shared/format';

export interface ValueAxis {
	domain: [number, number];
	ticks: number[];
	label: (v: number) => string;
}

const DURATION_UNITS = [
	{ secs: 86_400, name: 'd' },
	{ secs: 3600, name: 'h' },
	{ secs: 60, name: 'min' },
	{ secs: 1, name: 's' }
] as const;

const canBeNegative = (unit: MetricUnit) => unit === 'score';

/**
 * The values a unit can take where it is bounded: a share runs 0…100 %, a score (NPS) −100…100. The
 * axis, and the threshold bands shaded to its ends, stop there: NPS ran from −150 to 150.
 */
const UNIT_RANGE: Partial<Record<MetricUnit, [number, number]>> = { percent: [0, 100], score: [-100, 100] };

/**
 * The finest step a unit's labels show (formatValue: one decimal for a share, whole NPS points and days).
 * Counts are not here: their fractional ticks are dropped instead (below).
 */
const LABEL_STEP: Partial<Record<MetricUnit, number>> = { percent: 0.1, score: 1, days: 1 };

/** Domain, ticks and tick labels for `values` (the data and any threshold lines) shown in `unit`. */
export function valueAxis(values: readonly number[], unit: MetricUnit, count = 5): ValueAxis {
	const lo = values.length ? Math.min(...values) : 0;
	const hi = values.length ? Math.max(...values) : 1;
	const pad = (hi - lo || Math.abs(hi) || 1) * 0.1;
	const range = UNIT_RANGE[unit];
	// Padding never takes the axis past what the unit can take (data outside it, if any, still shows).
	let a = !canBeNegative(unit) && lo >= 0 ? Math.max(0, lo - pad) : lo - pad;
	let b = hi + pad;
	if (range && lo >= range[0]) a = Math.max(range[0], a);
	if (range && hi <= range[1]) b = Math.min(range[1], b);
	// A flat or nearly flat series (a 24 h churn rate of 0 %, drawn without the 30 d thresholds that
	// used to widen the axis) spans less than `count` label steps: its ticks read "0 %, 0 %, 0 %, 0.1 %…".
	// Widen it around its middle to `count` steps, within what the unit can take.
	const step = LABEL_STEP[unit];
	if (step && b - a < count * step) {
		const mid = (a + b) / 2;
		a = mid - (count * step) / 2;
		b = mid + (count * step) / 2;
		if (!canBeNegative(unit) && lo >= 0 && a < 0) [a, b] = [0, b - a];
		if (range && hi <= range[1] && b > range[1]) [a, b] = [a - (b - range[1]), range[1]];
	}
	// Durations are laid out in the largest unit the axis spans at least twice, then scaled back.
	const d =
		unit === 'seconds'
			? (DURATION_UNITS.find((u) => Math.max(Math.abs(a), Math.abs(b)) >= 2 * u.secs) ?? DURATION_UNITS[3])
			: null;
	const k = d?.secs ?? 1;
	const s = scaleLinear()
		.domain([a / k, b / k])
		.nice(count);
	// Rounding the ends outwards (nice) must not undo the clamp: −95 … 95 would become −100 … 100, fine,
	// but −105 … 105 with a step of 20 became −120 … 120.
	const [n0, n1] = s.domain();
	const d0 = range && lo >= range[0] ? Math.max(range[0] / k, n0) : n0;
	const d1 = range && hi <= range[1] ? Math.min(range[1] / k, n1) : n1;
	let ticks = s.ticks(count).filter((t) => t >= d0 && t <= d1);
	// A count has no fractions: "0.5 customers" is not a value it can take.
	if (unit === 'count') ticks = ticks.filter((t) => Number.isInteger(t));
	const label = d
		? (v: number) => `${(v / k).toLocaleString('en-GB', { maximumFractionDigits: 2 })} ${d.name}`
		: (v: number) => formatValue(v, unit);
	return { domain: [d0 * k, d1 * k], ticks: ticks.map((t) => t * k), label };
}

/** Approximate width of a tick label in px (11 px sans-serif digits average about 6.2 px). */
export const labelWidth = (text: string, charPx = 6.2) => text.length * charPx;

/**
 * Where to anchor each label of an axis centred on its x so it stays inside [0, width] (flush with the
 * edge it would cross: the last label of a 7-day chart was cut to "12-07 00:0"), and whether to show
 * it: a label that would run into the one before it is left out rather than drawn over it.
 */
export function fitLabels(
	xs: readonly number[],
	texts: readonly string[],
	width: number,
	gap = 6
): { anchor: 'start' | 'middle' | 'end'; show: boolean }[] {
	let right = -Infinity;
	return xs.map((x, i) => {
		const w = labelWidth(texts[i]);
		const anchor = x + w / 2 > width ? 'end' : x - w / 2 < 0 ? 'start' : 'middle';
		const left = anchor === 'end' ? x - w : anchor === 'start' ? x : x - w / 2;
		const show = left >= right + gap;
		if (show) right = left + w;
		return { anchor, show };
	});
}
