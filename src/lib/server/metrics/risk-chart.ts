// The metric page's chart of an at-risk metric (customers, or their monthly revenue, in the high band): the
// tile as it read at the page's trailing moments, from the score history. The moments and the reader are the
// tile's sparkline's (trailing-sparkline.ts), so the page and the wall draw one line; the page reads it afresh
// rather than from the sparkline's cache, as it does its other trailing charts.
import type { Db } from '../db';
import { config } from '../config';
import type { WindowId } from '../../shared/format';
import type { MetricDefinition } from './definitions';
import { loadRiskHistory, riskHistoryFrom } from './risk-history';
import { trailingWindows } from './trailing-history';

export type RiskChart =
	/** At each trailing moment but the last, oldest first: the last is the tile's value, which the caller reads beside this. */
	| { kind: 'points'; earlier: { at: string; value: number | null }[] }
	/** No earlier point yet: scores are recorded only from `recordedFrom` (null: none recorded), after the last earlier moment. */
	| { kind: 'young'; recordedFrom: string | null }
	/** Scores were recorded before, yet no earlier moment can be told (their model versions left the registry, or nobody here held one). */
	| { kind: 'untold' };

export async function loadRiskChart(
	db: Db,
	m: MetricDefinition,
	segment: string | null,
	q: { window: WindowId; now?: Date }
): Promise<RiskChart> {
	const moments = trailingWindows(q.window, q.now).map((w) => w.to);
	const counters = await loadRiskHistory(db, moments, segment, config().modelsDir);
	const earlier = counters.slice(0, -1).map((c) => m.compute({ c, frt: new Map(), res: new Map() }));
	// As on the tile: a line of the current value alone would draw a trend the history does not hold.
	if (earlier.every((v) => v === null)) {
		const from = await riskHistoryFrom(db, segment);
		const lastEarlier = moments[moments.length - 2];
		return !from || from > lastEarlier ? { kind: 'young', recordedFrom: from?.toISOString() ?? null } : { kind: 'untold' };
	}
	return { kind: 'points', earlier: earlier.map((value, i) => ({ at: moments[i].toISOString(), value })) };
}
