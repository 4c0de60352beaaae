// Work items the system moves on each alert tick: cleared items closed, snoozed items woken, priorities
// following new scores. Set-based: thousands of items can change in one tick (see moveItems).
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Db } from '../db';
import { SYSTEM_ACTOR } from '../auth/actors';
import { hasLeftSql } from './customer-matches';
import { sqlTs } from './sql-time';
import { readItemsIn } from './work-items';
import { settingsChangeClosures } from './work-item-settings-change';
import { ASSUMED_PROBABILITY, CONDITION_CLEARED, ITEM_CHANGES_PER_TICK, type WorkItem, type WorkItemState } from './work-item-types';

/**
 * Moves the given items (ids as a JSON list) with one UPDATE … RETURNING, records one transition each and
 * reads them back: thousands of items can change in one tick, and per-item statements held the write lock
 * (blocking ingest commits) for most of a tick under load.
 */
async function moveItems(
	conn: DuckDBConnection,
	o: { ids: readonly string[] | null; set: string; where: string; from: WorkItemState; detail: Record<string, unknown>; now: number }
): Promise<WorkItem[]> {
	const ts = sqlTs(o.now);
	const idFilter = o.ids ? `AND id IN (SELECT unnest(from_json($2::JSON, '["VARCHAR"]')))` : '';
	const moved = (
		await conn.runAndReadAll(
			`UPDATE work_items SET ${o.set}, updated_at = $1::TIMESTAMP WHERE ${o.where} ${idFilter} RETURNING id, state`,
			o.ids ? [ts, JSON.stringify(o.ids)] : [ts]
		)
	).getRowObjectsJS() as { id: string; state: WorkItemState }[];
	if (!moved.length) return [];
	const json = JSON.stringify(moved);
	await conn.run(
		`INSERT INTO work_item_transitions (work_item_id, changed_at, actor, from_state, to_state, detail)
		 SELECT m.id, $1::TIMESTAMP, $5, $2, m.state, $3::JSON
		 FROM (SELECT unnest(from_json($4::JSON, '[{"id":"VARCHAR","state":"VARCHAR"}]')) AS m)`,
		[ts, o.from, JSON.stringify(o.detail), json, SYSTEM_ACTOR]
	);
	return readItemsIn(conn, json);
}

/** An item the system closes with its own root cause and history detail (rule stopped, settings changed). */
export interface SystemClosure {
	id: string;
	root_cause: string;
	/** The transition's detail, as JSON text. */
	detail: string;
}

/**
 * Closes open items as the system (the intervention effect counts no item nobody worked): `no_action`,
 * each with its own root cause and detail. Items claimed since they were picked stay open. Returns the
 * ids closed.
 */
export async function closeOpenItems(
	conn: DuckDBConnection,
	closures: readonly SystemClosure[],
	now: number
): Promise<string[]> {
	if (!closures.length) return [];
	const ts = sqlTs(now);
	const json = JSON.stringify(closures);
	const closed = (
		await conn.runAndReadAll(
			`UPDATE work_items AS w SET state = 'resolved', outcome = 'no_action', root_cause = m.root_cause, updated_at = $1::TIMESTAMP
			 FROM (SELECT s.id, s.root_cause FROM (SELECT unnest(from_json($2::JSON, '[{"id":"VARCHAR","root_cause":"VARCHAR"}]')) AS s)) m
			 WHERE w.id = m.id AND w.state = 'open' RETURNING w.id`,
			[ts, json]
		)
	)
		.getRowObjectsJS()
		.map((r) => String(r.id));
	if (!closed.length) return [];
	await conn.run(
		`INSERT INTO work_item_transitions (work_item_id, changed_at, actor, from_state, to_state, detail)
		 SELECT s.id, $1::TIMESTAMP, $2, 'open', 'resolved', s.detail::JSON
		 FROM (SELECT unnest(from_json($3::JSON, '[{"id":"VARCHAR","detail":"VARCHAR"}]')) AS s)
		 WHERE s.id IN (SELECT unnest(from_json($4::JSON, '["VARCHAR"]')))`,
		[ts, SYSTEM_ACTOR, json, JSON.stringify(closed)]
	);
	return closed;
}

// Unresolved items whose stored churn probability or monthly value differs from the customer's latest
// score and value. An item opened before the scorer reached its customer (or before a new champion) would
// otherwise keep the assumed probability, and the list would be ordered by a guess for good. A customer
// without a score keeps the item's probability. Resolved items keep what they had when they were worked.
const OUTDATED_PRIORITIES = `
SELECT w.id, coalesce(s.probability, w.probability) AS probability, coalesce(c.monthly_value, 0) AS monthly_value
FROM work_items w JOIN customers c ON c.customer_id = w.customer_id LEFT JOIN scores s ON s.customer_id = w.customer_id
WHERE w.state <> 'resolved'
	AND (w.probability IS DISTINCT FROM coalesce(s.probability, w.probability) OR w.monthly_value IS DISTINCT FROM coalesce(c.monthly_value, 0))`;

/** Whether refreshPriorities would change anything (a read, so a tick with nothing to do skips the write). */
export async function hasOutdatedPriorities(db: Db): Promise<boolean> {
	const r = await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM (${OUTDATED_PRIORITIES})`);
	return (r?.n ?? 0) > 0;
}

/**
 * Brings unresolved items' probability, monthly value and priority up to date with the customers'
 * latest scores and values, at most `limit` of them (the next tick takes the rest); returns the items
 * that changed. State and updated_at are left alone: the item was not worked, its customer was re-scored.
 */
export async function refreshPriorities(conn: DuckDBConnection, limit = ITEM_CHANGES_PER_TICK): Promise<WorkItem[]> {
	const changed = (
		await conn.runAndReadAll(
			`UPDATE work_items AS w SET probability = n.probability, monthly_value = n.monthly_value,
				priority = coalesce(n.probability, $1) * n.monthly_value
			 FROM (${OUTDATED_PRIORITIES} LIMIT $2) n WHERE w.id = n.id RETURNING w.id`,
			[ASSUMED_PROBABILITY, limit]
		)
	).getRowObjectsJS() as { id: string }[];
	return changed.length ? readItemsIn(conn, JSON.stringify(changed)) : [];
}

/** An open item whose rule no longer matches its customer (see closeClearedItems). */
export interface ClearedItem {
	id: string;
	customer_id: string;
	rule_id: string;
	reason: string;
	/** The customer has cancelled and not bought since (closes as churned, never waits: clear-grace.ts). */
	left: boolean;
}

/**
 * Closes cleared items (debt decayed, customer active again, score dropped) as the system: `no_action`,
 * or `churned` (root cause "customer cancelled") when the customer has left, so the list only holds
 * customers who still need attention; a tolerance item cleared after its customer's tolerance settings
 * were saved says so (work-item-settings-change.ts). Items claimed or snoozed since they were found stay
 * with their owner.
 */
export async function closeClearedItems(
	conn: DuckDBConnection,
	cleared: readonly ClearedItem[],
	now: number
): Promise<WorkItem[]> {
	if (!cleared.length) return [];
	// A customer who cancelled no longer matches any rule, but that is not a cleared condition: they churned.
	const left = new Set(
		(
			await conn.runAndReadAll(
				`SELECT customer_id FROM customer_state cs
				 WHERE customer_id IN (SELECT unnest(from_json($1::JSON, '["VARCHAR"]'))) AND ${hasLeftSql('cs')}`,
				[JSON.stringify([...new Set(cleared.map((c) => c.customer_id))])]
			)
		)
			.getRowObjectsJS()
			.map((r) => String(r.customer_id))
	);
	const close = async (items: readonly ClearedItem[], outcome: 'no_action' | 'churned', rootCause: string) =>
		items.length
			? moveItems(conn, {
					ids: items.map((c) => c.id),
					set: `state = 'resolved', outcome = '${outcome}', root_cause = '${rootCause}'`,
					where: `state = 'open'`,
					from: 'open',
					detail: { outcome, root_cause: rootCause },
					now
				})
			: [];
	const stayed = cleared.filter((c) => !left.has(c.customer_id));
	const bySettings = await settingsChangeClosures(conn, stayed.map((c) => c.id), now);
	const closedBySettings = await closeOpenItems(conn, bySettings, now);
	const settingsIds = new Set(bySettings.map((c) => c.id));
	return [
		...(closedBySettings.length ? await readItemsIn(conn, JSON.stringify(closedBySettings.map((id) => ({ id })))) : []),
		...(await close(stayed.filter((c) => !settingsIds.has(c.id)), 'no_action', CONDITION_CLEARED)),
		...(await close(cleared.filter((c) => left.has(c.customer_id)), 'churned', 'customer cancelled'))
	];
}

/** Snoozed items whose time has come go back to their assignee (claimed) or to the queue (open). */
export async function wakeSnoozed(conn: DuckDBConnection, now: number): Promise<WorkItem[]> {
	return moveItems(conn, {
		ids: null,
		set: `state = CASE WHEN assignee IS NULL THEN 'open' ELSE 'claimed' END, snoozed_until = NULL`,
		where: `state = 'snoozed' AND snoozed_until <= $1::TIMESTAMP`,
		from: 'snoozed',
		detail: { woke: true },
		now
	});
}
