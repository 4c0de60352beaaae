// Claim, snooze and resolve: each one serialized write whose conditional UPDATE decides the race;
// the loser learns who holds the item.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Db } from '../db';
import { publishItem, readItemIn, recordTransition } from './work-items';
import { sqlTs } from './sql-time';
import {
	OUTCOMES,
	type Outcome,
	type WorkItem,
	type WorkItemError,
	type WorkItemResult
} from './work-item-types';

export interface Actor {
	name: string;
	/** Admins may act on items someone else holds. */
	admin: boolean;
}

async function conflictFor(conn: DuckDBConnection, id: string, actor: Actor): Promise<WorkItemError> {
	const item = await readItemIn(conn, id);
	if (!item) return { status: 404, error: `no work item ${id}` };
	if (item.state === 'resolved')
		return { status: 409, error: `work item ${id} is already resolved`, holder: item.assignee };
	return {
		status: 409,
		error: `work item ${id} is held by ${item.assignee}`,
		holder: item.assignee ?? actor.name
	};
}

/** Claims an open (or own) item. A single conditional UPDATE: of two concurrent claims exactly one wins. */
export async function claimWorkItem(
	db: Db,
	id: string,
	actor: Actor,
	now = Date.now()
): Promise<WorkItemResult> {
	const r = await db.write(async (conn): Promise<WorkItemResult> => {
		const before = await readItemIn(conn, id);
		// The conditional UPDATE is the decision; the read above only names the previous state.
		const upd = await conn.runAndReadAll(
			`UPDATE work_items SET state = 'claimed', assignee = $2, snoozed_until = NULL, updated_at = $3::TIMESTAMP
			 WHERE id = $1 AND state <> 'resolved' AND (assignee IS NULL OR assignee = $2 OR $4)
			 RETURNING id`,
			[id, actor.name, sqlTs(now), actor.admin]
		);
		if (!upd.getRows().length || !before) return { ok: false, error: await conflictFor(conn, id, actor) };
		const from = before.state;
		if (from !== 'claimed' || before.assignee !== actor.name)
			await recordTransition(conn, id, actor.name, from, 'claimed', now);
		return { ok: true, value: (await readItemIn(conn, id))! };
	});
	if (r.ok) publishItem(r.value);
	return r;
}

/** Items held by someone else cannot be changed, except by an admin. */
async function changeHeld(
	db: Db,
	id: string,
	actor: Actor,
	now: number,
	change: (
		conn: DuckDBConnection,
		item: WorkItem
	) => Promise<{ to: WorkItem['state']; detail: Record<string, unknown> }>
): Promise<WorkItemResult> {
	return db.write(async (conn): Promise<WorkItemResult> => {
		const item = await readItemIn(conn, id);
		if (!item) return { ok: false, error: { status: 404, error: `no work item ${id}` } };
		if (item.state === 'resolved')
			return {
				ok: false,
				error: { status: 409, error: `work item ${id} is already resolved`, holder: item.assignee }
			};
		if (item.assignee && item.assignee !== actor.name && !actor.admin) {
			return {
				ok: false,
				error: { status: 409, error: `work item ${id} is held by ${item.assignee}`, holder: item.assignee }
			};
		}
		const { to, detail } = await change(conn, item);
		await recordTransition(conn, id, actor.name, item.state, to, now, detail);
		return { ok: true, value: (await readItemIn(conn, id))! };
	});
}

export async function snoozeWorkItem(
	db: Db,
	id: string,
	actor: Actor,
	body: unknown,
	now = Date.now()
): Promise<WorkItemResult> {
	const until = (body as { until?: unknown } | null)?.until;
	const t = typeof until === 'string' ? Date.parse(until) : NaN;
	if (Number.isNaN(t))
		return {
			ok: false,
			error: { status: 422, error: 'until must be an ISO-8601 date-time', field: 'until' }
		};
	if (t <= now)
		return { ok: false, error: { status: 422, error: 'until must be in the future', field: 'until' } };
	const r = await changeHeld(db, id, actor, now, async (conn) => {
		await conn.run(
			`UPDATE work_items SET state = 'snoozed', snoozed_until = $2::TIMESTAMP, assignee = coalesce(assignee, $3), updated_at = $4::TIMESTAMP WHERE id = $1`,
			[id, sqlTs(t), actor.name, sqlTs(now)]
		);
		return { to: 'snoozed', detail: { until: new Date(t).toISOString() } };
	});
	if (r.ok) publishItem(r.value);
	return r;
}

export async function resolveWorkItem(
	db: Db,
	id: string,
	actor: Actor,
	body: unknown,
	now = Date.now()
): Promise<WorkItemResult> {
	const b = (body ?? {}) as { outcome?: unknown; root_cause?: unknown; note?: unknown };
	if (typeof b.outcome !== 'string' || !OUTCOMES.includes(b.outcome as Outcome)) {
		return {
			ok: false,
			error: { status: 422, error: `outcome must be one of ${OUTCOMES.join(', ')}`, field: 'outcome' }
		};
	}
	for (const f of ['root_cause', 'note'] as const) {
		const v = b[f];
		if (v !== undefined && v !== null && (typeof v !== 'string' || v.length > 4000)) {
			return {
				ok: false,
				error: { status: 422, error: `${f} must be text of at most 4000 characters`, field: f }
			};
		}
	}
	const rootCause = typeof b.root_cause === 'string' && b.root_cause.trim() ? b.root_cause.trim() : null;
	const note = typeof b.note === 'string' && b.note.trim() ? b.note.trim() : null;
	const r = await changeHeld(db, id, actor, now, async (conn) => {
		await conn.run(
			`UPDATE work_items SET state = 'resolved', outcome = $2, root_cause = $3, note = $4, assignee = coalesce(assignee, $5), snoozed_until = NULL, updated_at = $6::TIMESTAMP WHERE id = $1`,
			[id, b.outcome as string, rootCause, note, actor.name, sqlTs(now)]
		);
		return { to: 'resolved', detail: { outcome: b.outcome, root_cause: rootCause } };
	});
	if (r.ok) publishItem(r.value);
	return r;
}
