// What is firing right now, for pages outside /alerts: the Overview's and walls' list (live as the
// stream's `firing` event) and the count beside "Alerts" in the navigation (QA: a firing CSAT rule
// was visible only to whoever had /alerts open).
import type { Db } from '../db';
import { sortFiring, type FiringAlert } from '../../shared/firing-alerts';
import { WINDOW_LABELS } from '../../shared/format';
import { findMetric } from '../metrics/definitions';
import { latestRuleValues } from './evaluate';
import { publishFiring } from './live-bridge';
import { listRules } from './rules';
import { countOpenItems } from './work-items';

export async function firingMetricAlerts(db: Db): Promise<FiringAlert[]> {
	const [rules, rows] = await Promise.all([
		listRules(db),
		db.all<{ rule_id: string; since: Date; last_value: number | null }>(
			`SELECT rule_id, since, last_value FROM alert_state WHERE state = 'firing'`
		)
	]);
	// A metric rule's stored value is the one it changed state with; the loop keeps the current one.
	const latest = latestRuleValues();
	const byId = new Map(rules.map((r) => [r.id, r]));
	const out: FiringAlert[] = [];
	for (const row of rows) {
		const rule = byId.get(row.rule_id);
		if (!rule || !rule.enabled || rule.definition.kind !== 'metric') continue;
		const value = latest.get(rule.id)?.value ?? row.last_value;
		const metric = findMetric(rule.definition.metric);
		out.push({
			rule_id: rule.id,
			name: rule.name,
			metric: rule.definition.metric,
			value,
			window: metric ? WINDOW_LABELS[metric.defaultWindow] : '',
			since: row.since.toISOString()
		});
	}
	return sortFiring(out);
}

/**
 * Publishes the firing list when it differs from the last one published (the first call always
 * publishes, so the stream has a snapshot for new connections). Called by the alert loop every tick,
 * so rule edits, deletions and state changes from any path reach the pages within a tick.
 */
export function firingListPublisher(db: Db): () => Promise<void> {
	let last: string | null = null;
	return async () => {
		const alerts = await firingMetricAlerts(db);
		const json = JSON.stringify(alerts);
		if (json === last) return;
		last = json;
		publishFiring({ alerts });
	};
}

export interface AlertCounts {
	/**
	 * Enabled metric rules in `firing`, as the Overview lists them. Customer rules fire while any customer
	 * matches (nearly always, in a live system); their work is the open items.
	 */
	firing: number;
	/** Work items nobody has claimed yet. */
	open_items: number;
}

export async function alertCounts(db: Db): Promise<AlertCounts> {
	// The same rules the Overview lists, so the two never disagree.
	const [firing, openItems] = await Promise.all([firingMetricAlerts(db), countOpenItems(db)]);
	return { firing: firing.length, open_items: openItems };
}
