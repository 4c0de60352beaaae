// Path data for a sparkline: the trend as one d3 line broken at gaps, a dot for every value with no data
// on either side, and a bridge across each gap. A value alone is a line of one point, which draws
// nothing, so sparse series (a few ratings a day) looked empty; with dots alone a 24-hour tile with a
// handful of values read as scattered specks on a wall. The bridges (drawn faint and dashed by
// Sparkline.svelte) join each value to the next one across the empty bins between them, so the series
// reads as a series, while a gap still looks unlike a drop to zero: a zero is a value, drawn solid at
// the bottom of the scale, and a bridge never leaves the straight line between two real values. Nothing
// is drawn before the first value or after the last (no data is invented at the ends).
// The dot is a round cap on a tiny segment, which stays round in the sparkline's stretched viewBox
// (preserveAspectRatio="none") where a circle would not.
import { extent, line, scaleLinear } from 'd3';

/** A point with a value (null and non-finite points are gaps). */
export const hasValue = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

export interface SparklinePaths {
	/** Solid line through runs of neighbouring values. */
	trend: string;
	/** A dot per value with no neighbouring value. */
	dots: string;
	/** One straight segment per gap between two values ('' when the series has no inner gap). */
	bridges: string;
	/** Bins with a value, of all bins. */
	filled: number;
	total: number;
}

/** null when fewer than two points have values (nothing to call a trend). */
export function sparklinePaths(points: readonly (number | null)[], width: number, height: number): SparklinePaths | null {
	const vals = points.filter(hasValue);
	if (vals.length < 2) return null;
	const [lo, hi] = extent(vals) as [number, number];
	const x = scaleLinear()
		.domain([0, Math.max(1, points.length - 1)])
		.range([2, width - 2]);
	const y = scaleLinear()
		.domain(lo === hi ? [lo - 1, hi + 1] : [lo, hi])
		.range([height - 3, 3]);
	const dots = points.map((v, i) => (hasValue(v) && !hasValue(points[i - 1]) && !hasValue(points[i + 1]) ? `M${x(i)},${y(v)}h0.01` : '')).join('');
	const trend =
		line<number | null>()
			.defined(hasValue)
			.x((_, i) => x(i))
			.y((v) => y(v ?? 0))(points) ?? '';
	let bridges = '';
	let last = -1;
	points.forEach((v, i) => {
		if (!hasValue(v)) return;
		if (last >= 0 && i - last > 1) bridges += `M${x(last)},${y(points[last]!)}L${x(i)},${y(v)}`;
		last = i;
	});
	return { trend, dots, bridges, filled: vals.length, total: points.length };
}
