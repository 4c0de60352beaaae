// The segments there are, as the filters, alert rules and tolerance settings each list them, and the check
// of a filter's segment.
import type { Db } from '../db';
import type { ScopeResult } from './tile-query';
import type { TileScope } from '../../shared/live-events';

const DEFAULT_SEGMENT = 'default';

export interface SegmentListing {
	/** 'default' even when no customer is in it: the filters and rules offer it before customers arrive. */
	withDefault?: boolean;
	/** Segments with tolerance settings too (set up before their customers arrive); never '*'. */
	withSettings?: boolean;
	/** At most this many, the first in order. */
	limit?: number;
}

/** The filters' list: customers' segments and 'default', at most 200. */
const FILTERS: SegmentListing = { withDefault: true, limit: 200 };

/** Segment names, sorted byte-wise (upper case first); with no options, those customers are in. */
export async function listSegments(db: Db, opts: SegmentListing = FILTERS): Promise<string[]> {
	const sources = ['SELECT segment FROM customers'];
	if (opts.withSettings) sources.push(`SELECT segment FROM tolerance_settings WHERE segment <> '*'`);
	if (opts.withDefault) sources.push(`SELECT 'default'`);
	const sql = `SELECT DISTINCT segment FROM (${sources.join(' UNION ')}) ORDER BY segment`;
	const rows = await (opts.limit === undefined ? db.all<{ segment: string }>(sql) : db.all<{ segment: string }>(`${sql} LIMIT $limit`, { limit: opts.limit }));
	return rows.map((r) => r.segment);
}

/** Known segments listed in a refusal; more would drown the message. */
const LISTED = 20;

/**
 * The scope, or a refusal naming the field when its segment is one no customer carries (exact case):
 * an unknown segment was accepted silently and every tile read "no data", active customers 0 and OK.
 */
export async function checkScopeSegment(db: Db, scope: TileScope): Promise<ScopeResult> {
	const segment = scope.segment;
	if (segment === null || segment === DEFAULT_SEGMENT) return { ok: true, value: scope };
	const hit = await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM (SELECT 1 FROM customers WHERE segment = $segment LIMIT 1)', { segment });
	if (hit && hit.n > 0) return { ok: true, value: scope };
	const known = await listSegments(db);
	const list = known.length > LISTED ? `${known.slice(0, LISTED).join(', ')}, … (${known.length} in all)` : known.join(', ');
	return { ok: false, error: `segment: must be one of ${list} (got ${JSON.stringify(segment)}; segments are case-sensitive)` };
}
