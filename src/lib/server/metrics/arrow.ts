// A tile set as an Arrow IPC stream (GET /api/v1/metrics with Accept: application/vnd.apache.arrow.stream).
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import type { TileSet } from '../../shared/live-events';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

/** One row per tile; the sparkline travels as JSON text so every column stays flat. */
export function tileSetToArrow(set: TileSet): Uint8Array {
	const t = set.tiles;
	const f = (xs: (number | null)[]) => Float64Array.from(xs, (x) => (x === null ? NaN : x));
	const table = tableFromArrays({
		id: t.map((x) => x.id),
		label: t.map((x) => x.label),
		unit: t.map((x) => x.unit),
		direction: t.map((x) => x.direction),
		state: t.map((x) => x.state),
		value: f(t.map((x) => x.value)),
		previous: f(t.map((x) => x.previous)),
		delta: f(t.map((x) => x.delta)),
		warn: f(t.map((x) => x.thresholds?.warn ?? null)),
		critical: f(t.map((x) => x.thresholds?.critical ?? null)),
		sparkline_json: t.map((x) => JSON.stringify(x.sparkline)),
		// Why a value is missing or what it covers (e.g. "no data in this window"); null when nothing to say.
		note: t.map((x) => x.note),
		window: t.map(() => set.window),
		from: t.map(() => set.from),
		to: t.map(() => set.to)
	});
	return tableToIPC(table, 'stream');
}
