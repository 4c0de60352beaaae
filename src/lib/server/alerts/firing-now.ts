// What is firing right now, for pages outside /alerts: the Overview's strip and the count beside
// "Alerts" in the navigation (QA: a firing CSAT rule was visible only to whoever had /alerts open).
import type { Db } from '../db';
import { sortFiring, type FiringAlert } from '../../shared/firing-alerts';
import { listRules } from './rules';

export async function firingMetricAlerts(db: Db): Promise<FiringAlert[]> {
	const [rules, rows] = await Promise.all([
		listRules(db),
		db.all<{ rule_id: string; since: Date; last_value: number | null }>(
			`SELECT rule_id, since, last_value FROM alert_state WHERE state = 'firing'`
		)
	]);
	const byId = new Map(rules.map((r) => [r.id, r]));
	const out: FiringAlert[] = [];
	for (const row of rows) {
		const rule = byId.get(row.rule_id);
		if (!rule || !rule.enabled || rule.definition.kind !== 'metric') continue;
		out.push({ rule_id: rule.id, name: rule.name, metric: rule.definition.metric, value: row.last_value, since: row.since.toISOString() });
	}
	return sortFiring(out);
}

export interface AlertCounts {
	/** Enabled rules of any kind in `firing`. */
	firing: number;
	/** Work items nobody has claimed yet. */
	open_items: number;
}

export async function alertCounts(db: Db): Promise<AlertCounts> {
	const [rules, states, items] = await Promise.all([
		listRules(db),
		db.all<{ rule_id: string }>(`SELECT rule_id FROM alert_state WHERE state = 'firing'`),
		db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM work_items WHERE state = 'open'`)
	]);
	const enabled = new Set(rules.filter((r) => r.enabled).map((r) => r.id));
	return { firing: states.filter((s) => enabled.has(s.rule_id)).length, open_items: items?.n ?? 0 };
}
