// Segments offered by the filters: those customers carry, plus the default.
import type { Db } from '../db';
import type { ScopeResult } from './tile-query';
import type { TileScope } from '../../shared/live-events';

const DEFAULT_SEGMENT = 'default';

export async function listSegments(db: Db): Promise<string[]> {
	const rows = await db.all<{ segment: string }>(
		`SELECT DISTINCT segment FROM (SELECT segment FROM customers UNION SELECT 'default') ORDER BY segment LIMIT 200`
	);
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
