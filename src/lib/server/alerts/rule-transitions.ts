// A rule's state changes leave the same traces wherever they happen (the alert tick, or a rule
// disabled or deleted while not normal): a row in alert_transitions, a live `alert` event, and the
// webhook notifications (see StepResult.notification).
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Db } from '../db';
import type { RuleTransition, TickOutput } from './evaluate-tick';
import { publishAlert } from './live-bridge';
import type { AlertRule } from './rule-schema';
import { sqlTs } from './sql-time';
import { endRule, type AlertState } from './state-machine';
import { queueNotifications } from './webhooks';
import { notificationVars } from './webhook-template';

export type Notifications = TickOutput['notifications'];

/** Stores transitions, many rows as one JSON parameter (far cheaper to bind than thousands of positional ones). */
export async function insertTransitions(conn: DuckDBConnection, transitions: readonly RuleTransition[]): Promise<void> {
	if (!transitions.length) return;
	const rows = transitions.map((t) => ({
		rule_id: t.rule_id,
		changed_at: sqlTs(t.at),
		from_state: t.from,
		to_state: t.to,
		value: t.value,
		threshold: t.threshold,
		reason: t.reason
	}));
	await conn.run(
		`INSERT INTO alert_transitions (rule_id, changed_at, from_state, to_state, value, threshold, reason)
		 SELECT r.rule_id, r.changed_at::TIMESTAMP, r.from_state, r.to_state, r.value, r.threshold, r.reason
		 FROM (SELECT unnest(from_json($1::JSON, '[{"rule_id":"VARCHAR","changed_at":"VARCHAR","from_state":"VARCHAR","to_state":"VARCHAR","value":"DOUBLE","threshold":"DOUBLE","reason":"VARCHAR"}]')) AS r)`,
		[JSON.stringify(rows)]
	);
}

/** After the transitions are stored: live events for every one, webhook deliveries queued for the notifications. */
export async function announceTransitions(
	db: Db,
	rules: readonly AlertRule[],
	transitions: readonly RuleTransition[],
	notifications: Notifications,
	now: number
): Promise<void> {
	const byId = new Map(rules.map((r) => [r.id, r]));
	for (const t of transitions) {
		const rule = byId.get(t.rule_id);
		publishAlert({
			ruleId: t.rule_id,
			name: rule?.name ?? t.rule_id,
			state: t.to,
			previousState: t.from,
			metric: rule?.definition.kind === 'metric' ? rule.definition.metric : null,
			customerId: null,
			value: t.value,
			at: new Date(t.at).toISOString()
		});
	}
	await queueNotifications(
		db,
		notifications.map(({ rule, transition: t }) => ({ ruleId: rule.id, vars: notificationVars(rule, t) })),
		now
	);
}

export interface EndedStates {
	rules: AlertRule[];
	transitions: RuleTransition[];
	notifications: Notifications;
}

export const NOTHING_ENDED: EndedStates = { rules: [], transitions: [], notifications: [] };

/**
 * Inside the write that disables or deletes `rules`: each one's state ends at normal (state-machine
 * endRule: an announced firing, or its end a silence still owes, is announced as ended, silenced or
 * not), the transition is stored and the state row removed. Announce the result with
 * announceTransitions once the write has committed.
 */
export async function endRuleStatesIn(
	conn: DuckDBConnection,
	rules: readonly AlertRule[],
	now: number,
	reason: string
): Promise<EndedStates> {
	if (!rules.length) return NOTHING_ENDED;
	const ids = rules.map((r) => r.id);
	const rows = (
		await conn.runAndReadAll(
			`SELECT rule_id, state, epoch_ms(since)::DOUBLE AS since, last_value, silenced FROM alert_state
			 WHERE rule_id IN (SELECT unnest(from_json($1::JSON, '["VARCHAR"]')))`,
			[JSON.stringify(ids)]
		)
	).getRowObjectsJS() as {
		rule_id: string;
		state: AlertState;
		since: number;
		last_value: number | null;
		silenced: boolean;
	}[];
	const byId = new Map(rules.map((r) => [r.id, r]));
	const out: EndedStates = { rules: [...rules], transitions: [], notifications: [] };
	for (const row of rows) {
		const rule = byId.get(row.rule_id);
		if (!rule) continue;
		const prev = { state: row.state, since: row.since, lastValue: row.last_value, unnotified: row.silenced };
		const r = endRule(prev, now, reason);
		const threshold = rule.definition.kind === 'metric' ? rule.definition.threshold : null;
		if (r.transition) out.transitions.push({ ...r.transition, rule_id: rule.id, threshold });
		// An end a silence held back is announced without a transition (the rule was normal already).
		if (r.notification) out.notifications.push({ rule, transition: { ...r.notification, rule_id: rule.id, threshold } });
	}
	await insertTransitions(conn, out.transitions);
	await conn.run(`DELETE FROM alert_state WHERE rule_id IN (SELECT unnest(from_json($1::JSON, '["VARCHAR"]')))`, [
		JSON.stringify(ids)
	]);
	return out;
}
