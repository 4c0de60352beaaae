// The tile values metric rules need, computed from the rollups for exactly the scopes and metrics
// the rules use, each metric over its default window (metrics/definitions.ts).
import type { Db } from '../db';
import { findMetric } from '../metrics/definitions';
import { computeTileSet } from '../metrics/tiles';
import { sampleSize } from '../metrics/verdict';
import type { WindowId } from '../../shared/format';
import { isMetricRule, tileKey, type AlertRule, type MetricRuleDef } from './rule-schema';

export interface RuleTiles {
	/** Value per tile key (tileKey); null for no data. */
	values: Map<string, number | null>;
	/** How many observations each value rests on, for metrics that declare a sample (rules' min_sample). */
	samples: Map<string, number>;
}

export async function computeRuleTiles(db: Db, rules: readonly AlertRule[], now = new Date()): Promise<RuleTiles> {
	const groups = new Map<string, { scope: MetricRuleDef['scope']; window: WindowId; metrics: Set<string> }>();
	for (const r of rules) {
		if (!r.enabled || !isMetricRule(r.definition)) continue;
		const def = r.definition;
		const m = findMetric(def.metric);
		if (!m) continue;
		const key = `${m.defaultWindow}|${def.scope.kind}|${def.scope.kind === 'all' ? '' : def.scope.value}`;
		let g = groups.get(key);
		if (!g) groups.set(key, (g = { scope: def.scope, window: m.defaultWindow, metrics: new Set() }));
		g.metrics.add(def.metric);
	}
	const values = new Map<string, number | null>();
	const samples = new Map<string, number>();
	for (const g of groups.values()) {
		const set = await computeTileSet(db, {
			window: g.window,
			now,
			channel: g.scope.kind === 'channel' ? g.scope.value : null,
			segment: g.scope.kind === 'segment' ? g.scope.value : null,
			metrics: [...g.metrics],
			activity: { wait: true },
			// Rules judge the value alone: no previous window or sparkline to read for scopes nobody watches.
			currentOnly: true
		});
		for (const t of set.tiles) {
			const key = tileKey({ metric: t.id, scope: g.scope });
			values.set(key, t.value);
			const m = findMetric(t.id);
			const n = m ? sampleSize(m, t.counts) : null;
			if (n !== null) samples.set(key, n);
		}
	}
	return { values, samples };
}
