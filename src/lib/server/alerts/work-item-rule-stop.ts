// Work items of a customer rule that stops (disabled or deleted). As in Grafana, where pausing or deleting
// a rule resolves its alerts: the items nobody holds are closed by the system, the items someone holds
// stay with them (their history says the rule stopped, and the list shows it while they are open). Nothing
// else would ever close them: only enabled rules are matched, so their items would stay open for good.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Db } from '../db';
import { recordAudit } from '../auth/audit';
import { readItemsIn, recordTransition } from './work-items';
import { closeOpenItems } from './work-item-upkeep';
import { ITEM_CHANGES_PER_TICK, type WorkItem, type WorkItemState } from './work-item-types';

export type RuleStop = 'disabled' | 'deleted';

/** The rule as it was when it stopped (a deleted rule's name is gone from alert_rules afterwards). */
export interface StoppedRule {
	id: string;
	name: string;
}

/**
 * Inside the write that disables or deletes `rule` (before a deleted rule's row goes): closes its open
 * items, highest priority first and at most `limit` (the alert tick closes the rest, see
 * closeItemsOfStoppedRules), with "rule 'X' disabled" as root cause and who stopped it in the history;
 * records the stop in the history of its claimed and snoozed items, which stay with their holder; and an
 * audit entry when any item was touched. Returns the items to publish once the write has committed.
 */
export async function settleItemsOfStoppedRule(
	conn: DuckDBConnection,
	rule: StoppedRule,
	stop: RuleStop,
	actor: string,
	now: number,
	limit = ITEM_CHANGES_PER_TICK
): Promise<WorkItem[]> {
	const open = (
		await conn.runAndReadAll(
			`SELECT id FROM work_items WHERE state = 'open' AND rule_id = $1 ORDER BY priority DESC, id LIMIT $2`,
			[rule.id, limit]
		)
	).getRowObjectsJS() as { id: string }[];
	// For callers outside rules.ts, which says it again once the write has committed.
	if (open.length >= limit) itemsOfStoppedRulesMayExist();
	const root_cause = `rule '${rule.name}' ${stop}`;
	const detail = JSON.stringify({
		outcome: 'no_action',
		root_cause,
		rule_stop: stop,
		rule_id: rule.id,
		rule_name: rule.name,
		by: actor
	});
	const closed = await closeOpenItems(
		conn,
		open.map((r) => ({ id: r.id, root_cause, detail })),
		now
	);
	const held = (
		await conn.runAndReadAll(
			`SELECT id, state, assignee FROM work_items WHERE rule_id = $1 AND state IN ('claimed', 'snoozed')`,
			[rule.id]
		)
	).getRowObjectsJS() as { id: string; state: WorkItemState; assignee: string | null }[];
	for (const h of held)
		await recordTransition(conn, h.id, actor, h.state, h.state, now, {
			rule_stop: stop,
			rule_id: rule.id,
			rule_name: rule.name,
			assignee: h.assignee
		});
	if (!closed.length && !held.length) return [];
	await recordAudit(conn, {
		actor,
		action: 'work-item.rule-stopped',
		subject: rule.id,
		detail: { rule: rule.name, change: stop, closed: closed.length, kept_by_holders: held.length }
	});
	return readItemsIn(conn, JSON.stringify([...closed, ...held.map((h) => h.id)].map((id) => ({ id }))));
}

// Open items whose rule is disabled or gone: left by settleItemsOfStoppedRule's limit, released or woken
// from a snooze after their rule stopped, or left by a version that did not close them.
const STOPPED_RULE_ITEMS = `FROM work_items w LEFT JOIN alert_rules r ON r.id = w.rule_id
	WHERE w.state = 'open' AND w.rule_id IS NOT NULL AND r.enabled IS NOT TRUE`;

// The tick asks every second and there are almost never any, so a count of none holds until a write that
// can leave one has committed and said so: a rule stopping with more open items than one write closes, a
// release, a tick leaving some for the next; and a database this process has not counted yet (items from
// before it started). Said after the commit: a tick counting while the write is open would not see them.
let mayExist = 0;
const noneAt = new WeakMap<Db, number>();

/** Open items of stopped rules may exist now (call once the write that may have left them committed). */
export function itemsOfStoppedRulesMayExist(): void {
	mayExist++;
}

/** Whether closeItemsOfStoppedRules has anything to do (a read, so a tick with nothing to do skips the write). */
export async function hasItemsOfStoppedRules(db: Db): Promise<boolean> {
	const asked = mayExist;
	if (noneAt.get(db) === asked) return false;
	const n = (await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n ${STOPPED_RULE_ITEMS}`))?.n ?? 0;
	if (n === 0) noneAt.set(db, asked);
	return n > 0;
}

/**
 * The alert tick's share: closes at most `limit` open items of stopped rules, highest priority first, as
 * settleItemsOfStoppedRule does (who stopped the rule is not known here).
 */
export async function closeItemsOfStoppedRules(
	conn: DuckDBConnection,
	now: number,
	limit = ITEM_CHANGES_PER_TICK
): Promise<WorkItem[]> {
	const rows = (
		await conn.runAndReadAll(
			`SELECT w.id, w.rule_id, r.name AS rule_name ${STOPPED_RULE_ITEMS} ORDER BY w.priority DESC, w.id LIMIT $1`,
			[limit]
		)
	).getRowObjectsJS() as { id: string; rule_id: string; rule_name: string | null }[];
	const closures = rows.map((r) => {
		const stop: RuleStop = r.rule_name === null ? 'deleted' : 'disabled';
		const root_cause = r.rule_name === null ? 'rule deleted' : `rule '${r.rule_name}' disabled`;
		const detail = {
			outcome: 'no_action',
			root_cause,
			rule_stop: stop,
			rule_id: r.rule_id,
			rule_name: r.rule_name
		};
		return { id: r.id, root_cause, detail: JSON.stringify(detail) };
	});
	const closed = await closeOpenItems(conn, closures, now);
	return closed.length ? readItemsIn(conn, JSON.stringify(closed.map((id) => ({ id })))) : [];
}
