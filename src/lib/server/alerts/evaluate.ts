// One alert tick against the database: load rules, state, silences (and the customer snapshot when
// customer rules are due), evaluate, then persist transitions, open work items, publish live events.
import type { Db } from '../db';
import { loadCustomerMatches } from './customer-matches';
import { evaluateTick, type RuleTransition, type TickOutput } from './evaluate-tick';
import { publishAlert } from './live-bridge';
import { queueNotifications } from './webhooks';
import { listRules } from './rules';
import { listActiveSilences } from './silences';
import { sqlTs } from './sql-time';
import type { AlertState, RuleState } from './state-machine';
import { alertPriority, openWorkItems, publishItem } from './work-items';
import { closeClearedItems, hasOutdatedPriorities, refreshPriorities, wakeSnoozed } from './work-item-upkeep';
import { ITEM_CHANGES_PER_TICK, type WorkItem } from './work-item-types';

export interface TickSummary {
	rules: number;
	transitions: RuleTransition[];
	opened: WorkItem[];
	woke: WorkItem[];
	closed: WorkItem[];
	/** Unresolved items whose priority followed a new score or monthly value. */
	reprioritized: WorkItem[];
	/** Alerts left for the next ticks (each tick opens at most ITEM_CHANGES_PER_TICK items). */
	pendingAlerts: number;
	/** A per-tick limit was reached: customer rules should run again at the next tick. */
	backlog: boolean;
	notifications: TickOutput['notifications'];
	ms: number;
}

/** Last value each rule saw, kept in memory: the ticker is the only evaluator, the UI reads it. */
const latest = new Map<string, { value: number | null; at: number }>();

export function latestRuleValues(): ReadonlyMap<string, { value: number | null; at: number }> {
	return latest;
}

export async function loadRuleStates(db: Db): Promise<Map<string, RuleState>> {
	const rows = await db.all<{ rule_id: string; state: AlertState; since: Date; last_value: number | null }>(
		'SELECT rule_id, state, since, last_value FROM alert_state'
	);
	return new Map(
		rows.map((r) => [r.rule_id, { state: r.state, since: r.since.getTime(), lastValue: r.last_value }])
	);
}

export interface TickOptions {
	now?: number;
	/** Evaluate customer rules this tick (they scan customer state, so the loop runs them less often). */
	customers?: boolean;
	/** The tile values could not be computed (metric rules go to error). */
	tileError?: string | null;
	/** Most items opened, closed or re-prioritized, each, in this tick. */
	itemsPerTick?: number;
}

export async function evaluateAlerts(
	db: Db,
	tiles: ReadonlyMap<string, number | null>,
	opts: TickOptions = {}
): Promise<TickSummary> {
	const t0 = performance.now();
	const now = opts.now ?? Date.now();
	const [rules, states, silences] = await Promise.all([
		listRules(db),
		loadRuleStates(db),
		listActiveSilences(db, now)
	]);
	const limit = opts.itemsPerTick ?? ITEM_CHANGES_PER_TICK;
	const customers = opts.customers ? await loadCustomerMatches(db, rules, now, limit) : null;
	const out = evaluateTick({ now, rules, states, tiles, customers, silences, tileError: opts.tileError });
	const alerts = [...out.customerAlerts].sort((a, b) => alertPriority(b) - alertPriority(a)).slice(0, limit);
	const pendingAlerts = out.customerAlerts.length - alerts.length;
	const cleared = customers?.cleared ?? [];
	for (const [id, s] of out.states) latest.set(id, { value: s.lastValue, at: now });

	const changed = [...out.states].filter(([id, s]) => {
		const prev = states.get(id);
		return (
			!prev ||
			prev.state !== s.state ||
			(s.lastValue !== prev.lastValue && out.transitions.some((t) => t.rule_id === id))
		);
	});
	// Most ticks change nothing: skip the write transaction so ingest never waits behind an empty one.
	const dueSnoozed = await db.one<{ n: number }>(
		`SELECT count(*)::INTEGER AS n FROM work_items WHERE state = 'snoozed' AND snoozed_until <= $1::TIMESTAMP`,
		[sqlTs(now)]
	);
	// Scores arrive from the scorer between customer-rule runs; items follow them at the same pace.
	const reprioritize = opts.customers === true && (await hasOutdatedPriorities(db));
	const needWrite =
		reprioritize ||
		changed.length > 0 ||
		out.transitions.length > 0 ||
		out.customerAlerts.length > 0 ||
		cleared.length > 0 ||
		(dueSnoozed?.n ?? 0) > 0;
	const nothing = { opened: [] as WorkItem[], woke: [] as WorkItem[], closed: [] as WorkItem[], reprioritized: [] as WorkItem[] };
	const { opened, woke, closed, reprioritized } = !needWrite
		? nothing
		: await db.write(async (conn) => {
				// Many rows as one JSON parameter: far cheaper to bind than thousands of positional ones.
				if (changed.length) {
					const rows = changed.map(([id, s]) => ({
						rule_id: id,
						state: s.state,
						since: sqlTs(s.since),
						last_value: s.lastValue
					}));
					await conn.run(
						`INSERT OR REPLACE INTO alert_state (rule_id, state, since, last_value, last_evaluated_at)
						 SELECT r.rule_id, r.state, r.since::TIMESTAMP, r.last_value, $2::TIMESTAMP
						 FROM (SELECT unnest(from_json($1::JSON, '[{"rule_id":"VARCHAR","state":"VARCHAR","since":"VARCHAR","last_value":"DOUBLE"}]')) AS r)`,
						[JSON.stringify(rows), sqlTs(now)]
					);
				}
				if (out.transitions.length) {
					const rows = out.transitions.map((t) => ({
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
				return {
					closed: await closeClearedItems(conn, cleared, now),
					opened: await openWorkItems(conn, alerts, now),
					woke: await wakeSnoozed(conn, now),
					reprioritized: reprioritize ? await refreshPriorities(conn, limit) : []
				};
			});

	const byId = new Map(rules.map((r) => [r.id, r]));
	for (const t of out.transitions) {
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
		out.notifications.map(({ rule, transition: t }) => ({
			ruleId: rule.id,
			vars: {
				rule: rule.name,
				rule_id: rule.id,
				state: t.to,
				previous_state: t.from,
				metric: rule.definition.kind === 'metric' ? rule.definition.metric : rule.definition.kind,
				value: t.value,
				threshold: t.threshold,
				at: new Date(t.at).toISOString(),
				reason: t.reason
			}
		})),
		now
	);
	for (const item of opened) publishItem(item);
	for (const item of woke) publishItem(item);
	for (const item of closed) publishItem(item);
	for (const item of reprioritized) publishItem(item);
	return {
		rules: rules.length,
		transitions: out.transitions,
		opened,
		woke,
		closed,
		reprioritized,
		pendingAlerts,
		backlog: pendingAlerts > 0 || cleared.length >= limit || reprioritized.length >= limit,
		notifications: out.notifications,
		ms: performance.now() - t0
	};
}
