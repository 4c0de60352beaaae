// One alert tick against the database: load rules, state, silences (and the customer snapshot when
// customer rules are due), evaluate, then persist transitions, open work items, publish live events.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Db } from '../db';
import { clearedToClose } from './clear-grace';
import { loadCustomerMatches } from './customer-matches';
import { evaluateTick, type RuleTransition, type TickOutput } from './evaluate-tick';
import { announceTransitions, insertTransitions } from './rule-transitions';
import { listRules } from './rules';
import { listActiveSilences } from './silences';
import { sqlTs } from './sql-time';
import type { AlertState, RuleState } from './state-machine';
import { alertPriority, openWorkItems, publishItems } from './work-items';
import { closeClearedItems, hasOutdatedPriorities, refreshPriorities, wakeSnoozed } from './work-item-upkeep';
import {
	closeItemsOfStoppedRules,
	hasItemsOfStoppedRules,
	itemsOfStoppedRulesMayExist
} from './work-item-rule-stop';
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

/**
 * Last value each rule computed and when, kept in memory: the ticker is the only evaluator, the UI reads
 * it. Only rules a tick evaluated are updated (customer rules run less often than the tick), so the value
 * shown is always the latest one computed, never the one stored at the rule's last state change.
 */
const latest = new Map<string, LatestRuleValue>();

export interface LatestRuleValue {
	value: number | null;
	at: number;
	/** Why the value was not judged (too few observations for the rule's min_sample); null when it was. */
	note: string | null;
}

export function latestRuleValues(): ReadonlyMap<string, LatestRuleValue> {
	return latest;
}

/** When each churn item waiting to close was first found cleared (clear-grace.ts), per database. */
const clearSeen = new WeakMap<Db, Map<string, number>>();
function clearSeenFor(db: Db): Map<string, number> {
	let seen = clearSeen.get(db);
	if (!seen) clearSeen.set(db, (seen = new Map()));
	return seen;
}

export async function loadRuleStates(db: Db): Promise<Map<string, RuleState>> {
	// alert_state.silenced (0008, unused before) holds RuleState.unnotified: the notice a silence held back,
	// a firing's start in a firing state, an announced firing's end in any other (no new column needed).
	const rows = await db.all<{
		rule_id: string;
		state: AlertState;
		since: Date;
		last_value: number | null;
		silenced: boolean;
	}>('SELECT rule_id, state, since, last_value, silenced FROM alert_state');
	return new Map(
		rows.map((r) => [
			r.rule_id,
			{ state: r.state, since: r.since.getTime(), lastValue: r.last_value, unnotified: r.silenced }
		])
	);
}

async function enabledRuleIds(conn: DuckDBConnection): Promise<Set<string>> {
	const rows = (await conn.runAndReadAll('SELECT id FROM alert_rules WHERE enabled')).getRows();
	return new Set(rows.map((r) => String(r[0])));
}

export interface TickOptions {
	now?: number;
	/** Evaluate customer rules this tick (they scan customer state, so the loop runs them less often). */
	customers?: boolean;
	/** The tile values could not be computed (metric rules go to error). */
	tileError?: string | null;
	/** How many observations each tile's value rests on (rule-tiles.ts), for rules with a min_sample. */
	samples?: ReadonlyMap<string, number>;
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
	const out = evaluateTick({ now, rules, states, tiles, samples: opts.samples, customers, silences, tileError: opts.tileError });
	const alerts = [...out.customerAlerts].sort((a, b) => alertPriority(b) - alertPriority(a)).slice(0, limit);
	const pendingAlerts = out.customerAlerts.length - alerts.length;
	// Churn items found cleared wait before they close (clear-grace.ts). Only the items closing count for the
	// backlog: a cap filled by waiting items would re-run the customer rules at every tick for the whole wait.
	const cleared = customers ? clearedToClose(clearSeenFor(db), customers.cleared, now) : [];
	for (const id of out.evaluated)
		latest.set(id, { value: out.states.get(id)?.lastValue ?? null, at: now, note: out.notes.get(id) ?? null });
	// Disabled and deleted rules have no current value.
	for (const id of latest.keys()) if (!out.states.has(id)) latest.delete(id);

	const customerRun = new Set(
		rules.flatMap((r) => (out.evaluated.has(r.id) && r.definition.kind !== 'metric' ? [r.id] : []))
	);
	const changed = [...out.states].filter(([id, s]) => {
		const prev = states.get(id);
		return (
			!prev ||
			prev.state !== s.state ||
			prev.unnotified !== s.unnotified ||
			(s.lastValue !== prev.lastValue &&
				// A customer rule's count is stored whenever it changes (they run at most every few seconds),
				// so a restarted server shows the latest count; metric values, which move every tick, only
				// with a transition (the live value is in `latest`).
				(customerRun.has(id) || out.transitions.some((t) => t.rule_id === id)))
		);
	});
	// Most ticks change nothing: skip the write transaction so ingest never waits behind an empty one.
	const dueSnoozed = await db.one<{ n: number }>(
		`SELECT count(*)::INTEGER AS n FROM work_items WHERE state = 'snoozed' AND snoozed_until <= $1::TIMESTAMP`,
		[sqlTs(now)]
	);
	// Scores arrive from the scorer between customer-rule runs; items follow them at the same pace.
	const reprioritize = opts.customers === true && (await hasOutdatedPriorities(db));
	const orphaned = await hasItemsOfStoppedRules(db);
	let stoppedLeft = false;
	let transitions = out.transitions;
	let notifications = out.notifications;
	const needWrite =
		reprioritize ||
		changed.length > 0 ||
		out.transitions.length > 0 ||
		out.customerAlerts.length > 0 ||
		cleared.length > 0 ||
		orphaned ||
		(dueSnoozed?.n ?? 0) > 0;
	const nothing = { opened: [] as WorkItem[], woke: [] as WorkItem[], closed: [] as WorkItem[], reprioritized: [] as WorkItem[] };
	const { opened, woke, closed, reprioritized } = !needWrite
		? nothing
		: await db.write(async (conn) => {
				// A rule disabled or deleted while this tick evaluated it has already ended its state and
				// settled its items (rules.ts): its state and transitions are not written back, nor items opened.
				const live = await enabledRuleIds(conn);
				const keep = (id: string) => live.has(id);
				transitions = transitions.filter((t) => keep(t.rule_id));
				notifications = notifications.filter((n) => keep(n.rule.id));
				const stateRows = changed.filter(([id]) => keep(id));
				// Many rows as one JSON parameter: far cheaper to bind than thousands of positional ones.
				if (stateRows.length) {
					const rows = stateRows.map(([id, s]) => ({
						rule_id: id,
						state: s.state,
						since: sqlTs(s.since),
						last_value: s.lastValue,
						silenced: s.unnotified
					}));
					await conn.run(
						`INSERT OR REPLACE INTO alert_state (rule_id, state, since, last_value, last_evaluated_at, silenced)
						 SELECT r.rule_id, r.state, r.since::TIMESTAMP, r.last_value, $2::TIMESTAMP, r.silenced
						 FROM (SELECT unnest(from_json($1::JSON, '[{"rule_id":"VARCHAR","state":"VARCHAR","since":"VARCHAR","last_value":"DOUBLE","silenced":"BOOLEAN"}]')) AS r)`,
						[JSON.stringify(rows), sqlTs(now)]
					);
				}
				await insertTransitions(conn, transitions);
				const closedCleared = await closeClearedItems(conn, cleared, now);
				const openedNow = await openWorkItems(conn, alerts.filter((a) => keep(a.rule_id)), now);
				const wokeNow = await wakeSnoozed(conn, now);
				// After waking, so an item of a stopped rule that wakes up open is closed in the same tick.
				const closedStopped = await closeItemsOfStoppedRules(conn, now, limit);
				stoppedLeft = closedStopped.length >= limit;
				return {
					closed: [...closedCleared, ...closedStopped],
					opened: openedNow,
					woke: wokeNow,
					reprioritized: reprioritize ? await refreshPriorities(conn, limit) : []
				};
			});

	// More than one tick closes (woken with their rule stopped): the next tick counts again.
	if (stoppedLeft) itemsOfStoppedRulesMayExist();
	await announceTransitions(db, rules, transitions, notifications, now);
	await publishItems(db, [...opened, ...woke, ...closed, ...reprioritized]);
	return {
		rules: rules.length,
		transitions,
		opened,
		woke,
		closed,
		reprioritized,
		pendingAlerts,
		backlog: pendingAlerts > 0 || cleared.length >= limit || reprioritized.length >= limit,
		notifications,
		ms: performance.now() - t0
	};
}
