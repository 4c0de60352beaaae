// Notes on work items, written while an item is worked ("called, left voicemail") so colleagues see them.
// Whoever may change items may add one, on an item in any state (a follow-up after resolution is normal)
// and whoever holds it: a note changes nothing about the item, so the holder rule of claim, snooze and
// resolve does not apply. The resolution's note stays in work_items.note and is listed with the others
// (kind 'resolution', by whoever resolved, when), not stored twice.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db';
import { sqlTs } from './sql-time';
import { fieldErrors, invalidBody, strictBody, type Actor, type ParsedBody } from './work-item-actions';
import type { WorkItemError, WorkItemNote } from './work-item-types';
import { publishItems, readItemIn } from './work-items';

/** Longest note, in characters (the dialog's maxlength): a note is a line or two, not a report. */
export const MAX_NOTE = 2000;

export type NoteResult = { ok: true; value: WorkItemNote } | { ok: false; error: WorkItemError };

/** The refusal of a note over MAX_NOTE, `length` counted once trimmed; release and hand-over notes say the same. */
export const noteTooLong = (length: number): string =>
	`note is at most ${MAX_NOTE.toLocaleString('en-GB')} characters; this one has ${length.toLocaleString('en-GB')}`;

const noteSchema = strictBody({
	note: z
		.string({ error: (i) => (i.input === undefined ? 'note is required' : 'note must be text') })
		.trim()
		.min(1, 'note must not be empty')
		.max(MAX_NOTE, { error: (i) => noteTooLong(String(i.input).trim().length) })
});

/** `{note}`: text with something besides spaces, at most MAX_NOTE characters once trimmed. */
export function parseNoteBody(body: unknown): ParsedBody<{ note: string }> {
	const p = noteSchema.safeParse(body ?? {});
	if (!p.success) return { ok: false, errors: fieldErrors(p.error.issues, 'this request takes note') };
	return { ok: true, value: { note: p.data.note } };
}

/** Adds a note; an unknown item is a 404 whatever the body says, then a refused body is a 422. */
export async function addWorkItemNote(
	db: Db,
	id: string,
	actor: Actor,
	body: unknown,
	now = Date.now()
): Promise<NoteResult> {
	const parsed = parseNoteBody(body);
	const r = await db.write(async (conn) => {
		const item = await readItemIn(conn, id);
		if (!item) return { ok: false as const, error: { status: 404 as const, error: `no work item ${id}` } };
		if (!parsed.ok) return { ok: false as const, error: invalidBody(parsed.errors) };
		const note: WorkItemNote = {
			id: randomUUID(),
			work_item_id: id,
			author: actor.name,
			created_at: new Date(now).toISOString(),
			note: parsed.value.note,
			kind: 'note'
		};
		await conn.run(
			'INSERT INTO work_item_notes (id, work_item_id, author, created_at, body) VALUES ($1, $2, $3, $4::TIMESTAMP, $5)',
			[note.id, id, note.author, sqlTs(now), note.note]
		);
		return { ok: true as const, value: { note, item } };
	});
	if (!r.ok) return r;
	const { note, item } = r.value;
	// The item's own event, so other viewers' lists reload and show the note; the item itself is unchanged
	// (its updated_at also dates the re-open cool-down, which a follow-up note must not extend).
	await publishItems(db, [item], note.created_at);
	return { ok: true, value: note };
}

interface NoteRow {
	id: string;
	work_item_id: string;
	author: string;
	created_at: Date;
	note: string;
	kind: WorkItemNote['kind'];
}

/** The notes of these items, resolution notes included, oldest first. One query whatever the number of items. */
export async function listWorkItemNotes(db: Db, ids: readonly string[]): Promise<WorkItemNote[]> {
	if (!ids.length) return [];
	const rows = await db.all<NoteRow>(
		`WITH ids AS (SELECT unnest(from_json($1::JSON, '["VARCHAR"]')) AS id),
		resolved AS (
			SELECT work_item_id, max(changed_at) AS changed_at, arg_max(actor, changed_at) AS actor
			FROM work_item_transitions WHERE to_state = 'resolved' AND work_item_id IN (SELECT id FROM ids)
			GROUP BY work_item_id
		)
		SELECT n.id, n.work_item_id, n.author, n.created_at, n.body AS note, 'note' AS kind
		FROM work_item_notes n WHERE n.work_item_id IN (SELECT id FROM ids)
		UNION ALL
		SELECT 'resolution-' || w.id, w.id, coalesce(t.actor, w.assignee, 'unknown'), coalesce(t.changed_at, w.updated_at),
			w.note, 'resolution'
		FROM work_items w LEFT JOIN resolved t ON t.work_item_id = w.id
		WHERE w.id IN (SELECT id FROM ids) AND w.state = 'resolved' AND w.note IS NOT NULL
		ORDER BY created_at, id`,
		[JSON.stringify(ids)]
	);
	return rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() }));
}

/**
 * Each item with `notes_count` (its notes and, when resolved with one, the resolution's note), from one
 * grouped query: the list endpoint answers up to 5,000 items.
 */
export async function withNoteCounts<T extends { id: string; note: string | null }>(
	db: Db,
	items: readonly T[]
): Promise<(T & { notes_count: number })[]> {
	const counts = new Map<string, number>();
	if (items.length) {
		const rows = await db.all<{ work_item_id: string; n: number }>(
			`SELECT work_item_id, count(*)::INTEGER AS n FROM work_item_notes
			 WHERE work_item_id IN (SELECT unnest(from_json($1::JSON, '["VARCHAR"]'))) GROUP BY work_item_id`,
			[JSON.stringify(items.map((i) => i.id))]
		);
		for (const r of rows) counts.set(r.work_item_id, r.n);
	}
	return items.map((i) => ({ ...i, notes_count: (counts.get(i.id) ?? 0) + (i.note ? 1 : 0) }));
}
