// Release and hand over: an item claimed (or snoozed) by someone who is away would otherwise stay
// theirs for good. Release gives it back to the queue; hand over gives it to a teammate. Both are
// serialized writes like claim, snooze and resolve (work-item-actions.ts), recorded as transitions whose
// detail says who held the item before (`from_assignee`), so the history can say "taken over by admin
// from bob" without a new table.
//
// A snoozed item handed over stays snoozed until its time and then wakes as the new holder's claim:
// the snooze was a decision about the customer ("call back on Monday"), not about who calls.
import { z } from 'zod';
import type { Db } from '../db';
import { normalizeUsername } from '../auth/users';
import type { Role } from '../../shared/auth-types';
import { assignVerdict } from '../../shared/assign-rule';
import { sqlTs } from './sql-time';
import { fieldErrors, readChangeable, strictBody, type Actor, type ParsedBody } from './work-item-actions';
import { itemsOfStoppedRulesMayExist } from './work-item-rule-stop';
import { MAX_NOTE, noteTooLong } from './work-item-notes';
import type { WorkItemError, WorkItemResult } from './work-item-types';
import { publishItems, readItemIn, recordTransition } from './work-items';

/** Roles an item can be handed to: those that may change items (ITEM_ROLES and admin). */
export const ASSIGNABLE_ROLES: readonly Role[] = ['retention', 'admin'];

// Optional here, unlike a note of its own (work-item-notes.ts): blank is no note. Same limit and wording.
const optionalNote = z
	.string({ error: 'note must be text' })
	.trim()
	.max(MAX_NOTE, { error: (i) => noteTooLong(String(i.input).trim().length) })
	.nullish();

const releaseSchema = strictBody({ note: optionalNote });

const assignSchema = strictBody({
	assignee: z
		.string({
			error: (i) => (i.input === undefined ? 'assignee is required' : 'assignee must be a username')
		})
		.trim()
		.min(1, 'assignee is required'),
	note: optionalNote
});

const noteOrNull = (v: string | null | undefined) => (v ? v : null);

/** `{note?}`: no body, `{}` or a note of at most MAX_NOTE characters; blank is no note. */
export function parseReleaseBody(body: unknown): ParsedBody<{ note: string | null }> {
	const p = releaseSchema.safeParse(body ?? {});
	if (!p.success) return { ok: false, errors: fieldErrors(p.error.issues, 'this request takes note') };
	return { ok: true, value: { note: noteOrNull(p.data.note) } };
}

/** `{assignee, note?}`; the username as stored (lower case). */
export function parseAssignBody(body: unknown): ParsedBody<{ assignee: string; note: string | null }> {
	const p = assignSchema.safeParse(body ?? {});
	if (!p.success)
		return { ok: false, errors: fieldErrors(p.error.issues, 'this request takes assignee, note') };
	return { ok: true, value: { assignee: normalizeUsername(p.data.assignee), note: noteOrNull(p.data.note) } };
}

export interface Assignable {
	username: string;
	role: string;
	disabled: boolean;
}

/** Why `user` (looked up as `name`) cannot be given an item, or null when they can. */
export function assigneeRefusal(name: string, user: Assignable | undefined): string | null {
	if (!user) return `no such user "${name}"`;
	if (user.disabled) return `user ${user.username} is disabled`;
	if (!(ASSIGNABLE_ROLES as readonly string[]).includes(user.role))
		return `user ${user.username} (${user.role}) cannot work items`;
	return null;
}

/** Enabled users who may be handed an item, by name; `except` (the viewer) left out. */
export async function listAssignableUsers(db: Db, except?: string): Promise<string[]> {
	const rows = await db.all<{ username: string }>(
		`SELECT username FROM users WHERE NOT disabled AND role IN (${ASSIGNABLE_ROLES.map((_, i) => `$${i + 1}`).join(', ')}) ORDER BY username`,
		[...ASSIGNABLE_ROLES]
	);
	return rows.map((r) => r.username).filter((u) => u !== except);
}

const fail = (error: WorkItemError): WorkItemResult => ({ ok: false, error });

/**
 * Back to `open` with no assignee. The holder may release their item, an admin anyone's (a takeover,
 * recorded as such). 404 unknown, 422 bad body, 409 open or resolved, 403 held by someone else.
 */
export async function releaseWorkItem(
	db: Db,
	id: string,
	actor: Actor,
	body: unknown,
	now = Date.now()
): Promise<WorkItemResult> {
	const parsed = parseReleaseBody(body);
	const r = await db.write(async (conn): Promise<WorkItemResult> => {
		const got = await readChangeable(conn, id, parsed);
		if (!got.ok) return got;
		const { item } = got;
		if (item.state === 'open' || item.assignee === null)
			return fail({ status: 409, error: `work item ${id} is open already: nobody holds it`, holder: null });
		const holder = item.assignee;
		if (holder !== actor.name && !actor.admin)
			return fail({
				status: 403,
				error: `work item ${id} is held by ${holder}; only they or an admin can release it`,
				holder
			});
		await conn.run(
			`UPDATE work_items SET state = 'open', assignee = NULL, snoozed_until = NULL, updated_at = $2::TIMESTAMP WHERE id = $1`,
			[id, sqlTs(now)]
		);
		await recordTransition(conn, id, actor.name, item.state, 'open', now, {
			action: 'release',
			from_assignee: holder,
			note: got.value.note,
			...(holder !== actor.name ? { takeover: true } : {})
		});
		return { ok: true, value: (await readItemIn(conn, id))! };
	});
	if (!r.ok) return r;
	// Open again: if its rule has stopped meanwhile, the tick closes it.
	itemsOfStoppedRulesMayExist();
	await publishItems(db, [r.value]);
	return r;
}

/**
 * Gives an unresolved item to `assignee` (an enabled retention user or admin): claimed, or still
 * snoozed. The holder may hand over their item, anyone an open one (a claim for someone else), an admin
 * any (a takeover when it was someone else's). 404, 422 body, 409 resolved, 403, 422 assignee, 409 when
 * the assignee holds it already.
 */
export async function assignWorkItem(
	db: Db,
	id: string,
	actor: Actor,
	body: unknown,
	now = Date.now()
): Promise<WorkItemResult> {
	const parsed = parseAssignBody(body);
	const r = await db.write(async (conn): Promise<WorkItemResult> => {
		const got = await readChangeable(conn, id, parsed);
		if (!got.ok) return got;
		const { item } = got;
		const holder = item.assignee;
		const may = assignVerdict(item, actor);
		// readChangeable answered 409 for a resolved item, so a refusal here is always held-by-other.
		if (!may.ok)
			return fail({
				status: 403,
				error: `work item ${id} is held by ${holder}; only they or an admin can hand it over`,
				holder
			});
		const { assignee, note } = got.value;
		const found = (
			await conn.runAndReadAll('SELECT username, role, disabled FROM users WHERE username = $1', [assignee])
		).getRowObjectsJS()[0] as unknown as Assignable | undefined;
		const refused = assigneeRefusal(assignee, found);
		if (refused) return fail({ status: 422, error: refused, field: 'assignee' });
		if (holder === assignee)
			return fail({ status: 409, error: `work item ${id} is already held by ${assignee}`, holder });
		const to = item.state === 'snoozed' ? 'snoozed' : 'claimed';
		await conn.run(
			`UPDATE work_items SET state = $2, assignee = $3, updated_at = $4::TIMESTAMP WHERE id = $1`,
			[id, to, assignee, sqlTs(now)]
		);
		await recordTransition(conn, id, actor.name, item.state, to, now, {
			action: 'assign',
			from_assignee: holder,
			to_assignee: assignee,
			note,
			...(may.takeover ? { takeover: true } : {})
		});
		return { ok: true, value: (await readItemIn(conn, id))! };
	});
	if (r.ok) await publishItems(db, [r.value]);
	return r;
}
