// Work items: opening them from firing customer alerts, reading, listing their transitions and publishing
// them. What the system moves on each tick (wake, close, re-prioritise) is in work-item-upkeep.ts.
import { randomUUID } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Db } from '../db';
import { decodeRows } from '../db/decode';
import type { CustomerAlert } from './evaluate-tick';
import { publishWorkItem } from './live-bridge';
import { isoOrNull, sqlTs } from './sql-time';
import { SYSTEM_ACTOR } from '../auth/actors';
import {
	ASSUMED_PROBABILITY,
	REOPEN_COOLDOWN_DAYS,
	startsCooldownSql,
	WORK_ITEM_STATES,
	type WorkItem,
	type WorkItemState,
	type WorkItemTransition
} from './work-item-types';

export interface WorkItemRow {
	id: string;
	customer_id: string;
	customer_name: string | null;
	segment: string | null;
	rule_id: string | null;
	reason: string;
	detail: string | null;
	state: WorkItemState;
	assignee: string | null;
	snoozed_until: Date | null;
	probability: number | null;
	monthly_value: number | null;
	priority: number;
	outcome: WorkItem['outcome'];
	root_cause: string | null;
	note: string | null;
	created_at: Date;
	updated_at: Date;
	rule_name: string | null;
	rule_status: WorkItem['rule_status'];
}

// Columns and FROM apart, so the work list can add its own (work-item-list.ts: the debt now).
export const ITEM_COLUMNS = `w.id, w.customer_id, c.name AS customer_name, c.segment, w.rule_id, w.reason, w.detail::VARCHAR AS detail,
	w.state, w.assignee, w.snoozed_until, w.probability, w.monthly_value, w.priority, w.outcome, w.root_cause, w.note,
	w.created_at, w.updated_at, r.name AS rule_name,
	CASE WHEN w.rule_id IS NULL THEN NULL WHEN r.id IS NULL THEN 'deleted' WHEN r.enabled THEN 'enabled' ELSE 'disabled' END AS rule_status`;
export const ITEM_FROM = `FROM work_items w LEFT JOIN customers c ON c.customer_id = w.customer_id LEFT JOIN alert_rules r ON r.id = w.rule_id`;
export const ITEM_SELECT = `SELECT ${ITEM_COLUMNS}
${ITEM_FROM}`;

export function toWorkItem(r: WorkItemRow): WorkItem {
	return {
		...r,
		detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
		snoozed_until: isoOrNull(r.snoozed_until),
		created_at: r.created_at.toISOString(),
		updated_at: r.updated_at.toISOString()
	};
}

export async function readItemIn(conn: DuckDBConnection, id: string): Promise<WorkItem | undefined> {
	const reader = await conn.runAndReadAll(`${ITEM_SELECT} WHERE w.id = $1`, [id]);
	const row = decodeRows(reader.getRowObjectsJS())[0] as unknown as WorkItemRow | undefined;
	return row && toWorkItem(row);
}

export async function getWorkItem(db: Db, id: string): Promise<WorkItem | undefined> {
	return db.connect((conn) => readItemIn(conn, id));
}

export async function recordTransition(
	conn: DuckDBConnection,
	id: string,
	actor: string,
	from: WorkItemState | null,
	to: WorkItemState,
	now: number,
	detail: Record<string, unknown> | null = null
): Promise<void> {
	await conn.run(
		'INSERT INTO work_item_transitions (work_item_id, changed_at, actor, from_state, to_state, detail) VALUES ($1, $2::TIMESTAMP, $3, $4, $5, $6::JSON)',
		[id, sqlTs(now), actor, from, to, detail ? JSON.stringify(detail) : null]
	);
}

/** An item's priority: churn probability (assumed when not scored yet) × monthly value. */
export function alertPriority(a: Pick<CustomerAlert, 'probability' | 'monthly_value'>): number {
	return (a.probability ?? ASSUMED_PROBABILITY) * a.monthly_value;
}

/**
 * Opens one item per alerted customer unless the customer already has an unresolved item, or had
 * one for the same reason resolved within the cool-down. Returns the items opened.
 */
export async function openWorkItems(
	conn: DuckDBConnection,
	alerts: readonly CustomerAlert[],
	now: number
): Promise<WorkItem[]> {
	if (!alerts.length) return [];
	await conn.run(
		'CREATE OR REPLACE TEMP TABLE _wi_new (id TEXT, customer_id TEXT, rule_id TEXT, reason TEXT, detail TEXT, probability DOUBLE, monthly_value DOUBLE, priority DOUBLE)'
	);
	try {
		const rows = alerts.map((a) => ({
			id: randomUUID(),
			customer_id: a.customer_id,
			rule_id: a.rule_id,
			reason: a.reason,
			detail: JSON.stringify(a.detail),
			probability: a.probability,
			monthly_value: a.monthly_value,
			priority: alertPriority(a)
		}));
		// All candidates as one JSON parameter (thousands of customers can cross a limit in one tick).
		await conn.run(
			`INSERT INTO _wi_new SELECT r.id, r.customer_id, r.rule_id, r.reason, r.detail, r.probability, r.monthly_value, r.priority
			 FROM (SELECT unnest(from_json($1::JSON, '[{"id":"VARCHAR","customer_id":"VARCHAR","rule_id":"VARCHAR","reason":"VARCHAR","detail":"VARCHAR","probability":"DOUBLE","monthly_value":"DOUBLE","priority":"DOUBLE"}]')) AS r)`,
			[JSON.stringify(rows)]
		);
		const reader = await conn.runAndReadAll(
			`INSERT INTO work_items (id, customer_id, rule_id, reason, detail, state, probability, monthly_value, priority, created_at, updated_at)
			 SELECT n.id, n.customer_id, n.rule_id, n.reason, n.detail::JSON, 'open', n.probability, n.monthly_value, n.priority, $1::TIMESTAMP, $1::TIMESTAMP
			 FROM _wi_new n
			 WHERE NOT EXISTS (SELECT 1 FROM work_items w WHERE w.customer_id = n.customer_id AND w.state <> 'resolved')
			   AND NOT EXISTS (SELECT 1 FROM work_items w WHERE w.customer_id = n.customer_id AND w.reason = n.reason
					AND w.state = 'resolved' AND w.updated_at > $1::TIMESTAMP - INTERVAL ${REOPEN_COOLDOWN_DAYS} DAY AND ${startsCooldownSql('w')})
			 RETURNING id`,
			[sqlTs(now)]
		);
		const ids = reader.getRowObjectsJS().map((r) => String(r.id));
		if (!ids.length) return [];
		await conn.run(
			`INSERT INTO work_item_transitions (work_item_id, changed_at, actor, from_state, to_state, detail)
			 SELECT id, $1::TIMESTAMP, $2, NULL, 'open', json_object('rule_id', rule_id, 'reason', reason) FROM work_items
			 WHERE id IN (SELECT id FROM _wi_new)`,
			[sqlTs(now), SYSTEM_ACTOR]
		);
		const opened = decodeRows(
			(await conn.runAndReadAll(`${ITEM_SELECT} WHERE w.id IN (SELECT id FROM _wi_new)`)).getRowObjectsJS()
		) as unknown as WorkItemRow[];
		return opened.map(toWorkItem);
	} finally {
		await conn.run('DROP TABLE IF EXISTS _wi_new').catch(() => undefined);
	}
}

/** The items whose ids are in `json`, a JSON list of objects with an `id`. */
export async function readItemsIn(conn: DuckDBConnection, json: string): Promise<WorkItem[]> {
	const rows = decodeRows(
		(
			await conn.runAndReadAll(`${ITEM_SELECT} WHERE w.id IN (SELECT m.id FROM (SELECT unnest(from_json($1::JSON, '[{"id":"VARCHAR"}]')) AS m))`, [json])
		).getRowObjectsJS()
	) as unknown as WorkItemRow[];
	return rows.map(toWorkItem);
}

/** Items nobody has claimed yet (the navigation's "N open"). */
export async function countOpenItems(db: Db): Promise<number> {
	return (await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM work_items WHERE state = 'open'`))?.n ?? 0;
}

/**
 * The items' live events, once their changes are committed; `at` is when one changed (its updated_at
 * unless the change left that alone). Each carries the open count, read once after them all.
 */
export async function publishItems(db: Db, items: readonly WorkItem[], at?: string): Promise<void> {
	if (!items.length) return;
	const openItems = await countOpenItems(db);
	for (const item of items)
		publishWorkItem({
			id: item.id,
			customerId: item.customer_id,
			status: item.state,
			assignee: item.assignee,
			priority: item.priority,
			at: at ?? item.updated_at,
			openItems
		});
}

export async function listTransitions(db: Db, ids: readonly string[]): Promise<WorkItemTransition[]> {
	if (!ids.length) return [];
	const rows = await db.all<{
		work_item_id: string;
		changed_at: Date;
		actor: string;
		from_state: WorkItemState | null;
		to_state: WorkItemState;
		detail: string | null;
	}>(
		`SELECT work_item_id, changed_at, actor, from_state, to_state, detail::VARCHAR AS detail FROM work_item_transitions
		 WHERE work_item_id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')}) ORDER BY changed_at, to_state`,
		[...ids]
	);
	return rows.map((r) => ({
		work_item_id: r.work_item_id,
		at: r.changed_at.toISOString(),
		actor: r.actor,
		from: r.from_state,
		to: r.to_state,
		detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null
	}));
}

export { WORK_ITEM_STATES };
