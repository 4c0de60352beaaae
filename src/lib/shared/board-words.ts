// Wall boards in words, for Settings (and anything else that describes a board to a person).
import type { MetricUnit, WindowId } from './format';

export const WINDOW_WORDS: Record<WindowId, string> = {
	'15m': 'last 15 minutes',
	'1h': 'last hour',
	'24h': 'last 24 hours',
	'7d': 'last 7 days',
	'30d': 'last 30 days'
};

export const UNIT_WORDS: Record<MetricUnit, string> = {
	percent: '%',
	score: 'score −100…100',
	seconds: 'time',
	count: 'count',
	currency: '£/month',
	days: 'days'
};

export interface CatalogueMetric {
	id: string;
	label: string;
	unit: MetricUnit;
	description: string;
}

/** "CSAT (%), First response (time)"; an id no longer in the catalogue is shown as it is. */
export function tilesInWords(tiles: readonly string[], catalogue: readonly CatalogueMetric[]): string {
	return tiles
		.map((id) => {
			const m = catalogue.find((x) => x.id === id);
			return m ? `${m.label} (${UNIT_WORDS[m.unit]})` : id;
		})
		.join(', ');
}

/** The boards a wall of `board` shows in turn, itself first (as metrics/wall.ts plays them). */
export function rotationOrder(board: { name: string; playlist: readonly string[] }, existing: readonly string[]): string[] {
	const found = board.playlist.filter((n, i) => (n === board.name || existing.includes(n)) && board.playlist.indexOf(n) === i);
	const at = found.indexOf(board.name);
	return at < 0 ? [board.name, ...found] : [...found.slice(at), ...found.slice(0, at)];
}

/** "every 30 s: main → support → retention", or "no rotation". */
export function rotationInWords(board: { name: string; rotate_seconds: number; playlist: readonly string[] }, existing: readonly string[]): string {
	const order = rotationOrder(board, existing);
	return order.length < 2 ? `no rotation (${board.rotate_seconds} s on screen)` : `${board.rotate_seconds} s each: ${order.join(' → ')}`;
}

/** `list` with the item at `i` moved by `by` places (−1 up, +1 down); unchanged at the ends. */
export function moveItem<T>(list: readonly T[], i: number, by: -1 | 1): T[] {
	const j = i + by;
	const out = [...list];
	if (i < 0 || i >= list.length || j < 0 || j >= list.length) return out;
	[out[i], out[j]] = [out[j], out[i]];
	return out;
}
