// Claim, snooze and resolve: each one serialized write whose conditional UPDATE decides the race;
// the loser learns who holds the item.
import type { DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import type { Db } from '../db';
import { publishItems, readItemIn, recordTransition } from './work-items';
import { issuesToErrors, type FieldError } from './rule-schema';
import { sqlTs } from './sql-time';
import { MAX_SNOOZE_DAYS } from '../../shared/snooze-limit';
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
	if (r.ok) await publishItems(db, [r.value]);
	return r;
}

export { MAX_SNOOZE_DAYS };
const MAX_SNOOZE_MS = MAX_SNOOZE_DAYS * 86_400_000;
/** Longest root cause and note, in characters (the dialog's maxlength). */
export const MAX_TEXT = 4000;

export type ParsedBody<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

// Strict objects, as the alert configuration endpoints (rule-schema.ts): a misspelt or unknown key is
// refused by name instead of being dropped. A missing body (null) names the required fields.
export const strictBody = <S extends z.core.$ZodLooseShape>(shape: S) =>
	z.strictObject(shape, {
		error: (i) => (i.code === 'invalid_type' ? 'the body must be a JSON object' : undefined)
	});

const text = (field: string) =>
	z
		.string({ error: `${field} must be text` })
		.max(MAX_TEXT, `${field} must be text of at most ${MAX_TEXT} characters`)
		.nullish();

const snoozeSchema = strictBody({ until: z.string({ error: 'until must be an ISO-8601 date-time' }) });

const resolveSchema = strictBody({
	outcome: z.enum(OUTCOMES, { error: `outcome must be one of ${OUTCOMES.join(', ')}` }),
	root_cause: text('root_cause'),
	note: text('note')
});

/** Field errors of a refused body; an unknown key's message adds what the request does take (`takes`). */
export function fieldErrors(issues: readonly z.core.$ZodIssue[], takes: string): FieldError[] {
	return issuesToErrors(issues).map((e) => (e.message.startsWith('unknown key ') ? { ...e, message: `${e.message}; ${takes}` } : e));
}

const claimSchema = strictBody({});

/** A claim takes no body (none, or `{}`); keys are refused by name as snooze and resolve refuse theirs. */
export function claimBodyRefusal(body: unknown): WorkItemResult | null {
	const p = claimSchema.safeParse(body ?? {});
	if (p.success) return null;
	return { ok: false, error: invalidBody(fieldErrors(p.error.issues, 'a claim takes no body')) };
}

/** `{until}`: an ISO-8601 date-time in the future, at most MAX_SNOOZE_DAYS ahead of `now`. */
export function parseSnoozeBody(body: unknown, now: number): ParsedBody<{ until: number }> {
	const p = snoozeSchema.safeParse(body ?? {});
	if (!p.success) return { ok: false, errors: fieldErrors(p.error.issues, 'this request takes until') };
	const t = Date.parse(p.data.until);
	if (Number.isNaN(t))
		return { ok: false, errors: [{ field: 'until', message: 'until must be an ISO-8601 date-time' }] };
	if (t <= now) return { ok: false, errors: [{ field: 'until', message: 'until must be in the future' }] };
	if (t - now > MAX_SNOOZE_MS)
		return {
			ok: false,
			errors: [
				{
					field: 'until',
					message: `until must be at most ${MAX_SNOOZE_DAYS} days (${MAX_SNOOZE_DAYS * 24} hours) from now`
				}
			]
		};
	return { ok: true, value: { until: t } };
}

/** `{outcome, root_cause?, note?}`; blank texts are stored as null. */
export function parseResolveBody(
	body: unknown
): ParsedBody<{ outcome: Outcome; rootCause: string | null; note: string | null }> {
	const p = resolveSchema.safeParse(body ?? {});
	if (!p.success)
		return { ok: false, errors: fieldErrors(p.error.issues, 'this request takes outcome, root_cause, note') };
	const blankAsNull = (v: string | null | undefined) => (v?.trim() ? v.trim() : null);
	return {
		ok: true,
		value: {
			outcome: p.data.outcome,
			rootCause: blankAsNull(p.data.root_cause),
			note: blankAsNull(p.data.note)
		}
	};
}

/**
 * The 422 of a refused body. A work-item error names one field (respond() answers `errors` with that
 * one entry), so the message lists every problem and the field is the first one's.
 */
export function invalidBody(errors: FieldError[]): WorkItemError {
	return { status: 422, error: errors.map((e) => e.message).join('; '), field: errors[0].field };
}

/**
 * How every action on one item (here and in work-item-handover.ts) begins, inside its write: an unknown
 * item is a 404 whatever the body says; otherwise a refused body (422) comes before the item's state,
 * and a resolved item is a 409.
 */
export async function readChangeable<T>(
	conn: DuckDBConnection,
	id: string,
	body: ParsedBody<T>
): Promise<{ ok: true; item: WorkItem; value: T } | { ok: false; error: WorkItemError }> {
	const item = await readItemIn(conn, id);
	if (!item) return { ok: false, error: { status: 404, error: `no work item ${id}` } };
	if (!body.ok) return { ok: false, error: invalidBody(body.errors) };
	if (item.state === 'resolved')
		return { ok: false, error: { status: 409, error: `work item ${id} is already resolved`, holder: item.assignee } };
	return { ok: true, item, value: body.value };
}

/** Items held by someone else cannot be changed, except by an admin (after readChangeable's refusals). */
async function changeHeld<T>(
	db: Db,
	id: string,
	actor: Actor,
	now: number,
	body: ParsedBody<T>,
	change: (
		conn: DuckDBConnection,
		item: WorkItem,
		value: T
	) => Promise<{ to: WorkItem['state']; detail: Record<string, unknown> }>
): Promise<WorkItemResult> {
	return db.write(async (conn): Promise<WorkItemResult> => {
		const got = await readChangeable(conn, id, body);
		if (!got.ok) return got;
		const { item } = got;
		if (item.assignee && item.assignee !== actor.name && !actor.admin) {
			return {
				ok: false,
				error: { status: 409, error: `work item ${id} is held by ${item.assignee}`, holder: item.assignee }
			};
		}
		const { to, detail } = await change(conn, item, got.value);
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
	const r = await changeHeld(
		db,
		id,
		actor,
		now,
		parseSnoozeBody(body, now),
		async (conn, _item, { until: t }) => {
			await conn.run(
				`UPDATE work_items SET state = 'snoozed', snoozed_until = $2::TIMESTAMP, assignee = coalesce(assignee, $3), updated_at = $4::TIMESTAMP WHERE id = $1`,
				[id, sqlTs(t), actor.name, sqlTs(now)]
			);
			return { to: 'snoozed', detail: { until: new Date(t).toISOString() } };
		}
	);
	if (r.ok) await publishItems(db, [r.value]);
	return r;
}

export async function resolveWorkItem(
	db: Db,
	id: string,
	actor: Actor,
	body: unknown,
	now = Date.now()
): Promise<WorkItemResult> {
	const r = await changeHeld(db, id, actor, now, parseResolveBody(body), async (conn, _item, v) => {
		await conn.run(
			`UPDATE work_items SET state = 'resolved', outcome = $2, root_cause = $3, note = $4, assignee = coalesce(assignee, $5), snoozed_until = NULL, updated_at = $6::TIMESTAMP WHERE id = $1`,
			[id, v.outcome, v.rootCause, v.note, actor.name, sqlTs(now)]
		);
		return { to: 'resolved', detail: { outcome: v.outcome, root_cause: v.rootCause } };
	});
	if (r.ok) await publishItems(db, [r.value]);
	return r;
}
