// Axis arithmetic for the time-series chart. The value axis never runs below zero for a metric that
// cannot be negative (only NPS can), nor past 100 % for a share, and a duration axis ticks at round minutes, hours or days, each
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

/** Domain, ticks and tick labels for `values` (the data and any threshold lines) shown in `unit`. */
export function valueAxis(values: readonly number[], unit: MetricUnit, count = 5): ValueAxis {
	const lo = values.length ? Math.min(...values) : 0;
	const hi = values.length ? Math.max(...values) : 1;
	const pad = (hi - lo || Math.abs(hi) || 1) * 0.1;
	const a = !canBeNegative(unit) && lo >= 0 ? Math.max(0, lo - pad) : lo - pad;
	// Every percentage metric is a share: none runs past 100 %.
	const b = unit === 'percent' && hi <= 100 ? Math.min(100, hi + pad) : hi + pad;
	// Durations are laid out in the largest unit the axis spans at least twice, then scaled back.
	const d =
		unit === 'seconds'
			? (DURATION_UNITS.find((u) => Math.max(Math.abs(a), Math.abs(b)) >= 2 * u.secs) ?? DURATION_UNITS[3])
			: null;
	const k = d?.secs ?? 1;
	const s = scaleLinear()
		.domain([a / k, b / k])
		.nice(count);
	let ticks = s.ticks(count);
	// A count has no fractions: "0.5 customers" is not a value it can take.
	if (unit === 'count') ticks = ticks.filter((t) => Number.isInteger(t));
	const [d0, d1] = s.domain();
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
