// Path data for a sparkline: the trend as one d3 line broken at gaps, plus a dot for every value with no
// data on either side. Such a value is a line of one point, which draws nothing, so sparse series (a few
// ratings a day) looked empty. The dot is a round cap on a tiny segment, which stays round in the
// sparkline's stretched viewBox (preserveAspectRatio="none") where a circle would not.
import { extent, line, scaleLinear } from 'd3';

/** A point with a value (null and non-finite points are gaps). */
export const hasValue = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

/** null when fewer than two points have values (nothing to call a trend). */
export function sparklinePaths(points: readonly (number | null)[], width: number, height: number): { trend: string; dots: string } | null {
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
	return { trend, dots };
}
