// What the overview page and walls start from before the stream takes over.
import type { Db } from '../db';
import { config } from '../config';
import type { TileScope, TileSet } from '../../shared/live-events';
import { listSegments } from './segments';
import { computeTileSet } from './tiles';

export interface OverviewData {
	set: TileSet;
	segments: string[];
}

export function churnOptions() {
	return { inactivityDays: config().churnInactivityDays, lostBy: 'either' as const };
}

export async function loadOverview(db: Db, scope: TileScope): Promise<OverviewData> {
	const [set, segments] = await Promise.all([computeTileSet(db, { ...scope, churn: churnOptions() }), listSegments(db)]);
	return { set, segments };
}
