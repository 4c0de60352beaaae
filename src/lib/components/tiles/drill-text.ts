// Words of the metric drill-down page: which filters its figures are limited to, and how to read its
// chart. A page opened from a filtered Overview was titled just "CSAT" while every figure on it,
// breakdown tables included, covered one channel and segment.
import {
	formatDuration,
	formatValue,
	WINDOW_LABELS,
	type Direction,
	type MetricUnit,
	type WindowId
} from '$lib/shared/format';
import type { Thresholds } from '$lib/shared/live-events';

export interface ScopeFilters {
	channel: string | null;
	segment: string | null;
}

/** "channel app, segment vip"; null without filters. */
export function scopeText(s: ScopeFilters): string | null {
	const parts = [s.channel && `channel ${s.channel}`, s.segment && `segment ${s.segment}`].filter(Boolean);
	return parts.length ? parts.join(', ') : null;
}

/** What a breakdown by `by` is limited to: the other filter (its own is what it varies). */
export function breakdownLimit(by: 'channel' | 'segment', s: ScopeFilters): string | null {
	return scopeText(
		by === 'channel' ? { channel: null, segment: s.segment } : { channel: s.channel, segment: null }
	);
}

export type SeriesKind =
	| { kind: 'bins'; binMs: number }
	| { kind: 'trailing'; stepMs: number }
	| { kind: 'moments'; stepMs: number; allChannels: boolean }
	| { kind: 'awaiting'; stepMs: number; recordedFrom: string | null }
	| { kind: 'none'; note: string };

/**
 * The sentence under the chart that says what one point is, or why there is no line yet. `when` writes a time
 * in the reader's zone (the page's time display); `segment` is the page's.
 */
export function seriesCaption(
	series: SeriesKind,
	window: WindowId,
	label: string,
	opts: { when?: (iso: string) => string; segment?: string | null } = {}
): string {
	if (series.kind === 'none') return series.note;
	if (series.kind === 'bins') return `Each point: ${label} over ${formatDuration(series.binMs / 1000)}.`;
	const every = `one every ${formatDuration(series.stepMs / 1000)}`;
	if (series.kind === 'moments')
		return (
			`Each point: ${label} as it read at that moment, from the churn scores then, ${every}; the last is the tile's value.` +
			(series.allChannels ? ' All channels: a churn score belongs to a customer, not to one of their channels.' : '')
		);
	if (series.kind === 'awaiting') {
		const recorded = series.recordedFrom
			? `churn scores are recorded from ${(opts.when ?? ((iso: string) => iso))(series.recordedFrom)}`
			: `no churn scores are recorded${opts.segment ? ` in segment ${opts.segment}` : ''} yet`;
		return `No line yet: ${recorded}, and the line starts once there are two points (${every}, the last being the tile's value).`;
	}
	return `Each point: ${label} over the ${WINDOW_LABELS[window]} up to it, ${every}; the last is the tile's value.`;
}

/**
 * The value axis's title where its tick labels do not say what they count: these metrics count customers,
 * and at-risk revenue is their monthly value (the tile reads "£50.3 k/month").
 */
const AXIS_TITLES: Record<string, string> = {
	active_customers: 'customers',
	new_customers: 'customers',
	at_risk_customers: 'customers',
	at_risk_revenue: '£ a month'
};

export const axisTitle = (metricId: string): string | null => AXIS_TITLES[metricId] ?? null;

/**
 * The thresholds the chart shades at `window`: none where they were set for another window. Churn rate's
 * monthly 3 %/6 % bands under a 24 h series, which can never reach them, read as "all clear" while the
 * tile says it is not judged.
 */
export function chartThresholds(
	t: Thresholds | null,
	thresholdWindow: WindowId | null,
	window: WindowId
): Thresholds | null {
	return thresholdWindow && thresholdWindow !== window ? null : t;
}

/**
 * The sentence under the chart that gives the metric's thresholds, and the window they were set for
 * when the page shows another one; null for a metric without thresholds.
 */
export function thresholdsText(
	t: Thresholds | null,
	m: { unit: MetricUnit; direction: Direction; thresholdWindow: WindowId | null },
	window: WindowId
): string | null {
	if (!t) return null;
	const set = m.thresholdWindow;
	const head =
		set && set !== window
			? `Thresholds (set for ${WINDOW_LABELS[set]}, not applied at ${WINDOW_LABELS[window]})`
			: 'Thresholds';
	return `${head}: warning at ${formatValue(t.warn, m.unit)}, critical at ${formatValue(t.critical, m.unit)} (${m.direction === 'up' ? 'higher is better' : 'lower is better'}).`;
}
