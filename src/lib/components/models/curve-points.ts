// Curve points as the Models page draws them.
import type { ModelCurves } from '$lib/server/churn/curves';

/**
 * The precision–recall curve from its first real point. A recorded curve starts with (recall 0,
 * precision 0) when the highest scores are all non-churners: no churner found yet, so precision is 0 of
 * k, a point that draws a line from the origin which no threshold worth choosing lies on. Versions
 * already saved keep such points, so they are dropped here rather than when recording.
 */
export function prPoints(pr: ModelCurves['pr']): { x: number; y: number }[] {
	const first = pr.findIndex((p) => !(p.recall === 0 && p.precision === 0));
	return first < 0 ? [] : pr.slice(first).map((p) => ({ x: p.recall, y: p.precision }));
}
