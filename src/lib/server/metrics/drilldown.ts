// One metric in depth: its series over the window (bins), the same metric broken down by channel and
// by segment, and the counts behind it. Built from tile sets, so it agrees with the tiles exactly.
import type { Db } from '../db';
import { CHANNELS } from '../../shared/events';
import type { Tile, TileScope } from '../../shared/live-events';
import { findMetric } from './definitions';
import { listSegments } from './segments';
import { computeTileSet, type TileQuery } from './tiles';
import { windowBounds } from './windows';

export interface BreakdownRow {
	key: string;
	value: number | null;
	state: Tile['state'];
	counts: Record<string, number>;
}

export interface Drilldown {
	tile: Tile;
	from: string;
	to: string;
	/** Bin start times (ISO) matching tile.sparkline. */
	points: { at: string; value: number | null }[];
	byChannel: BreakdownRow[];
	bySegment: BreakdownRow[];
}

export type DrilldownResult = { ok: true; value: Drilldown } | { ok: false; error: string };

const row = (key: string, t: Tile | undefined): BreakdownRow => ({
	key,
	value: t?.value ?? null,
	state: t?.state ?? 'nodata',
	counts: t?.counts ?? {}
});

export async function computeDrilldown(
	db: Db,
	metricId: string,
	scope: TileScope,
	extra: Pick<TileQuery, 'now' | 'churn'> = {}
): Promise<DrilldownResult> {
	const m = findMetric(metricId);
	if (!m) return { ok: false, error: `unknown metric ${metricId}` };
	const base = { ...extra, window: scope.window, metrics: [m.id] };
	const set = await computeTileSet(db, { ...base, channel: scope.channel, segment: scope.segment });
	const tile = set.tiles[0];
	const b = windowBounds(scope.window, extra.now);
	const segments = await listSegments(db);
	const byChannel: BreakdownRow[] = [];
	for (const c of CHANNELS) {
		const s = await computeTileSet(db, { ...base, channel: c, segment: scope.segment });
		byChannel.push(row(c, s.tiles[0]));
	}
	const bySegment: BreakdownRow[] = [];
	for (const seg of segments.slice(0, 50)) {
		const s = await computeTileSet(db, { ...base, channel: scope.channel, segment: seg });
		bySegment.push(row(seg, s.tiles[0]));
	}
	return {
		ok: true,
		value: {
			tile,
			from: set.from,
			to: set.to,
			points: tile.sparkline.map((v, i) => ({ at: new Date(b.from.getTime() + i * b.binMs).toISOString(), value: v })),
			byChannel,
			bySegment
		}
	};
}
