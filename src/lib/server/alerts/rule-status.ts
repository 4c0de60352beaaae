// Rules with their current state for the UI and GET /api/v1/alerts/rules.
import type { Db } from '../db';
import { findMetric, formatMetricValue } from '../metrics/definitions';
import { WINDOW_LABELS } from '../../shared/format';
import { latestRuleValues } from './evaluate';
import { describeRule, type AlertRule } from './rule-schema';
import { listRules } from './rules';
import type { AlertState } from './state-machine';

export interface RuleStatus extends AlertRule {
	summary: string;
	/** The window a metric rule's value is computed over (the metric's default window, e.g. '24 h'); null for customer rules. */
	window: string | null;
	/** A disabled rule is not evaluated: state normal, no value. */
	state: AlertState;
	since: string | null;
	value: number | null;
	/** The value with its unit ('77.8 %', '27 customers'); '—' for no data. */
	value_text: string;
	/** Why the latest value was not judged ("too few to judge (3 CSAT ratings; 10 needed)": min_sample); null when it was. */
	note: string | null;
	evaluated_at: string | null;
	transitions: {
		at: string;
		from: AlertState;
		to: AlertState;
		value: number | null;
		reason: string | null;
	}[];
}

function ruleValueText(rule: AlertRule, value: number | null): string {
	if (value === null) return '—';
	if (rule.definition.kind !== 'metric')
		return `${value.toLocaleString('en-GB')} ${value === 1 ? 'customer' : 'customers'}`;
	return formatMetricValue(rule.definition.metric, value);
}

export async function listRuleStatuses(db: Db, transitionsPerRule = 10): Promise<RuleStatus[]> {
	const [rules, states, trans] = await Promise.all([
		listRules(db),
		db.all<{
			rule_id: string;
			state: AlertState;
			since: Date;
			last_value: number | null;
			last_evaluated_at: Date | null;
		}>('SELECT rule_id, state, since, last_value, last_evaluated_at FROM alert_state'),
		db.all<{
			rule_id: string;
			changed_at: Date;
			from_state: AlertState;
			to_state: AlertState;
			value: number | null;
			reason: string | null;
		}>(
			`SELECT rule_id, changed_at, from_state, to_state, value, reason FROM (
				SELECT *, row_number() OVER (PARTITION BY rule_id ORDER BY changed_at DESC) AS rn FROM alert_transitions
			) WHERE rn <= $1 ORDER BY rule_id, changed_at DESC`,
			[transitionsPerRule]
		)
	]);
	const byRule = new Map(states.map((s) => [s.rule_id, s]));
	const latest = latestRuleValues();
	return rules.map((r) => {
		const s = byRule.get(r.id);
		const live = latest.get(r.id);
		// The latest value computed (the loop's memory; after a restart, the stored one until it runs).
		const value = !r.enabled ? null : live ? live.value : (s?.last_value ?? null);
		const metric = r.definition.kind === 'metric' ? findMetric(r.definition.metric) : undefined;
		return {
			...r,
			summary: describeRule(r.definition),
			window: metric ? WINDOW_LABELS[metric.defaultWindow] : null,
			state: s?.state ?? 'normal',
			since: s?.since.toISOString() ?? null,
			value,
			value_text: ruleValueText(r, value),
			note: r.enabled ? (live?.note ?? null) : null,
			evaluated_at: live ? new Date(live.at).toISOString() : (s?.last_evaluated_at?.toISOString() ?? null),
			transitions: trans
				.filter((t) => t.rule_id === r.id)
				.map((t) => ({
					at: t.changed_at.toISOString(),
					from: t.from_state,
					to: t.to_state,
					value: t.value,
					reason: t.reason
				}))
		};
	});
}
