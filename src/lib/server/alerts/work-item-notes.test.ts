// Notes on work items: the strict {note} body with messages naming the field, and storage in a real
// DuckDB file (notes on any state and by anyone who may change items, the resolution's note listed once
// with them, counts, the live event).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDb, type TempDb } from '../../../../tests/helpers/temp-db';
import { respond } from './http-respond';
import { setAlertsPublisher, type WorkItemLiveEvent } from './live-bridge';
import { claimWorkItem, resolveWorkItem } from './work-item-actions';
import { addWorkItemNote, listWorkItemNotes, MAX_NOTE, parseNoteBody, withNoteCounts } from './work-item-notes';
import { getWorkItem, openWorkItems } from './work-items';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const MIN = 60_000;
const ann = { name: 'ann', admin: false };
const bob = { name: 'bob', admin: false };

describe('parseNoteBody', () => {
	it('takes {note}, trimmed, up to 2,000 characters', () => {
		expect(MAX_NOTE).toBe(2000);
		expect(parseNoteBody({ note: '  called, left voicemail\n' })).toEqual({
			ok: true,
			value: { note: 'called, left voicemail' }
		});
		expect(parseNoteBody({ note: 'x'.repeat(2000) })).toEqual({ ok: true, value: { note: 'x'.repeat(2000) } });
		// Lines inside a note are kept.
		expect(parseNoteBody({ note: 'offered 20 %\nwaiting for answer' })).toMatchObject({
			ok: true,
			value: { note: 'offered 20 %\nwaiting for answer' }
		});
	});

	it('names the field: missing, empty or only spaces, too long, not text', () => {
		const refused = (body: unknown) => parseNoteBody(body);
		expect(refused(null)).toEqual({ ok: false, errors: [{ field: 'note', message: 'note is required' }] });
		expect(refused({})).toEqual({ ok: false, errors: [{ field: 'note', message: 'note is required' }] });
		for (const note of ['', '   ', '\n\t '])
			expect(refused({ note })).toEqual({ ok: false, errors: [{ field: 'note', message: 'note must not be empty' }] });
		expect(refused({ note: 'x'.repeat(2001) })).toEqual({
			ok: false,
			errors: [{ field: 'note', message: 'note is at most 2,000 characters; this one has 2,001' }]
		});
		for (const note of [12345, null, ['a'], { text: 'a' }, true])
			expect(refused({ note })).toEqual({ ok: false, errors: [{ field: 'note', message: 'note must be text' }] });
	});

	it('refuses unknown keys by name and a body that is not an object, as snooze and resolve do', () => {
		expect(parseNoteBody({ note: 'a', text: 'b' })).toEqual({
			ok: false,
			errors: [{ field: 'text', message: 'unknown key "text"; this request takes note' }]
		});
		expect(parseNoteBody(['a'])).toEqual({
			ok: false,
			errors: [{ field: '(body)', message: 'the body must be a JSON object' }]
		});
	});
});

describe('notes against the database', () => {
	let t: TempDb;
	let id: string;
	let other: string;
	let published: WorkItemLiveEvent[];
	beforeEach(async () => {
		t = await tempDb();
		const alert = (customer_id: string) => ({
			rule_id: 'tolerance',
			customer_id,
			reason: 'tolerance',
			detail: {},
			probability: null,
			monthly_value: 100
		});
		const items = await t.db.write((conn) => openWorkItems(conn, [alert('c-1'), alert('c-2')], NOW));
		[id, other] = [items.find((i) => i.customer_id === 'c-1')!.id, items.find((i) => i.customer_id === 'c-2')!.id];
		published = [];
		setAlertsPublisher({ alert: () => undefined, workitem: (e) => published.push(e) });
	});
	afterEach(async () => {
		setAlertsPublisher(null);
		await t.cleanup();
	});

	it('stores a note with its author and time, publishes the item, and leaves the item as it was', async () => {
		const before = await getWorkItem(t.db, id);
		const r = await addWorkItemNote(t.db, id, ann, { note: ' called, left voicemail ' }, NOW + MIN);
		expect(r).toEqual({
			ok: true,
			value: {
				id: expect.any(String),
				work_item_id: id,
				author: 'ann',
				created_at: new Date(NOW + MIN).toISOString(),
				note: 'called, left voicemail',
				kind: 'note'
			}
		});
		expect(await listWorkItemNotes(t.db, [id])).toEqual([r.ok && r.value]);
		expect(published).toEqual([
			{ id, customerId: 'c-1', status: 'open', assignee: null, priority: 50, at: new Date(NOW + MIN).toISOString(), openItems: 2 }
		]);
		// Not a change of the item: its updated_at also dates the re-open cool-down.
		expect(await getWorkItem(t.db, id)).toEqual(before);
	});

	it('anyone who may change items adds notes, on an item someone else holds and after resolution', async () => {
		expect((await claimWorkItem(t.db, id, ann, NOW + MIN)).ok).toBe(true);
		expect((await addWorkItemNote(t.db, id, bob, { note: 'customer called me back' }, NOW + 2 * MIN)).ok).toBe(true);
		expect((await resolveWorkItem(t.db, id, ann, { outcome: 'retained', note: 'waived the fee' }, NOW + 3 * MIN)).ok).toBe(true);
		expect((await addWorkItemNote(t.db, id, ann, { note: 'follow-up: happy' }, NOW + 4 * MIN)).ok).toBe(true);
		await addWorkItemNote(t.db, other, ann, { note: 'other item' }, NOW + MIN);

		const notes = await listWorkItemNotes(t.db, [id]);
		// The resolution's note is listed once, in time order, by whoever resolved and when.
		expect(notes.map((n) => [n.author, n.created_at, n.note, n.kind])).toEqual([
			['bob', new Date(NOW + 2 * MIN).toISOString(), 'customer called me back', 'note'],
			['ann', new Date(NOW + 3 * MIN).toISOString(), 'waived the fee', 'resolution'],
			['ann', new Date(NOW + 4 * MIN).toISOString(), 'follow-up: happy', 'note']
		]);
		const stored = await t.db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM work_item_notes WHERE work_item_id = $1', [id]);
		expect(stored?.n).toBe(2);
		expect((await listWorkItemNotes(t.db, [id, other])).map((n) => n.note)).toEqual([
			'other item',
			'customer called me back',
			'waived the fee',
			'follow-up: happy'
		]);

		const items = [(await getWorkItem(t.db, id))!, (await getWorkItem(t.db, other))!];
		const counted = await withNoteCounts(t.db, items);
		expect(counted.map((i) => [i.customer_id, i.notes_count])).toEqual([
			['c-1', 3],
			['c-2', 1]
		]);
		expect(await withNoteCounts(t.db, [])).toEqual([]);
	});

	it('an unknown item is a 404 whatever the body; a refused body is a 422 naming the field and stores nothing', async () => {
		expect(await addWorkItemNote(t.db, 'no-such-item', ann, { text: 1 }, NOW)).toEqual({
			ok: false,
			error: { status: 404, error: 'no work item no-such-item' }
		});
		const empty = await addWorkItemNote(t.db, id, ann, { note: '   ' }, NOW);
		expect(empty).toEqual({ ok: false, error: { status: 422, field: 'note', error: 'note must not be empty' } });
		const res = respond(empty as Exclude<typeof empty, { ok: true }>);
		expect([res.status, await res.json()]).toEqual([
			422,
			{ error: 'note must not be empty', errors: [{ field: 'note', message: 'note must not be empty' }] }
		]);
		expect(await addWorkItemNote(t.db, id, ann, { note: 'a', author: 'eve' }, NOW)).toMatchObject({
			ok: false,
			error: { status: 422, field: 'author' }
		});
		expect(await listWorkItemNotes(t.db, [id])).toEqual([]);
		expect(published).toEqual([]);
	});
});
