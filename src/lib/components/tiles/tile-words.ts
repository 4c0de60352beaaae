// What a tile says about its metric beyond the number: its threshold badge and the words a screen reader
// hears. A metric without thresholds has nothing to be "OK" against: the API still gives it state 'ok'
// (the contract every client reads), but the tile shows no badge and no colour for it; the QA read
// "At-risk customers OK 309" as a verdict nobody had set.
import { deltaTone, formatDelta, formatValue, type MetricUnit } from '$lib/shared/format';
import type { Tile, TileState } from '$lib/shared/live-events';

export type TileTone = TileState | 'neutral';

const STATE_TEXT: Record<TileState, string> = {
	ok: 'OK',
	warn: 'Warning',
	critical: 'Critical',
	nodata: 'No data',
	// The note says why (too few to judge, thresholds set for another window): never a colour alone.
	unjudged: 'Not judged'
};

/** The badge's colour and words; text null when the tile shows no badge. */
export function tileBadge(t: Pick<Tile, 'state' | 'thresholds'>): { tone: TileTone; text: string | null } {
	if (t.state === 'nodata') return { tone: 'nodata', text: STATE_TEXT.nodata };
	if (!t.thresholds) return { tone: 'neutral', text: null };
	return { tone: t.state, text: STATE_TEXT[t.state] };
}

/** A breakdown row's state words, or null for a metric without thresholds (the column is left out). */
export function rowStateText(state: TileState, thresholds: Tile['thresholds'], note: string | null = null): string | null {
	if (state === 'unjudged' && note) return `${STATE_TEXT.unjudged}: ${note}`;
	return thresholds || state === 'nodata' ? STATE_TEXT[state] : null;
}

/** Why a tile with a value gives no verdict ("too few to judge (1 solved ticket; 10 needed)"); null when it gives one. */
export function unjudgedNote(t: Pick<Tile, 'state' | 'note'>): string | null {
	return t.state === 'unjudged' ? t.note : null;
}

/**
 * What the shown value is per, beyond its unit: at-risk revenue sums customers' monthly value, so
 * "£50.3 k" alone read as a total.
 */
const PER: Record<string, string> = { at_risk_revenue: '/month' };

/** "/month" after a value that is per month, '' otherwise (and for no data). */
export function valuePer(t: Pick<Tile, 'id' | 'value'>): string {
	return t.value === null ? '' : (PER[t.id] ?? '');
}

/** The value as the tile shows it: "£50.3 k/month", "87.5 %", "9"; '—' for no data. */
export function tileValueText(t: Pick<Tile, 'id' | 'value' | 'unit'>): string {
	return `${formatValue(t.value, t.unit)}${valuePer(t)}`;
}

/** A firing alert's value as its metric's tile shows it ("£50.3 k/month"); the bare number when the metric has no tile here. */
export function alertValueText(metric: string, value: number | null, unit: MetricUnit | undefined): string {
	if (unit) return tileValueText({ id: metric, value, unit });
	return value === null ? '—' : String(value);
}

/**
 * The scale a bare score is on, said where the number is (hover title and accessible name): NPS reads
 * "9" while its change reads "+3 pts", and a 9 out of 10 is another thing.
 */
export function scaleNote(unit: MetricUnit): string | null {
	return unit === 'score' ? 'score from −100 to 100' : null;
}

/** The delta's words, as the visible delta line says them. */
export function toneText(t: Pick<Tile, 'delta' | 'direction' | 'unit'>): string {
	const tone = deltaTone(t.delta, t.direction, t.unit);
	return tone === 'good' ? 'better' : tone === 'bad' ? 'worse' : 'unchanged';
}

/** The accessible name of a tile: label, value, verdict (only for a metric with thresholds) or why none, change. */
export function tileAriaLabel(t: Tile): string {
	const badge = tileBadge(t);
	const scale = t.value === null ? null : scaleNote(t.unit);
	const parts = [`${t.label}: ${tileValueText(t)}${scale ? ` (${scale})` : ''}`];
	const why = unjudgedNote(t);
	if (badge.text) parts.push(why ? `${badge.text} (${why})` : badge.text);
	if (t.delta !== null) parts.push(`${formatDelta(t.delta, t.unit)} vs previous window (${toneText(t)})`);
	return parts.join(', ');
}
