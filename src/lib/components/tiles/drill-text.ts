// Words of the metric drill-down page: which filters its figures are limited to, and how to read its
// chart. A page opened from a filtered Overview was titled just "CSAT" while every figure on it,
// breakdown tables included, covered one channel and segment.
import { formatDuration, WINDOW_LABELS, type WindowId } from '$lib/shared/format';

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
	{ kind: 'bins'; binMs: number } | { kind: 'trailing'; stepMs: number } | { kind: 'none'; note: string };

/** The sentence under the chart that says what one point is. */
export function seriesCaption(series: SeriesKind, window: WindowId, label: string): string {
	if (series.kind === 'none') return series.note;
	if (series.kind === 'bins') return `Each point: ${label} over ${formatDuration(series.binMs / 1000)}.`;
	return `Each point: ${label} over the ${WINDOW_LABELS[window]} up to it, one every ${formatDuration(series.stepMs / 1000)}; the last is the tile's value.`;
}
