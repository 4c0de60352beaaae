import type { Migration } from './index';

// Notes written while an item is worked ("called, left voicemail"), on any state, resolved items too.
// Append-only: a note is never edited, so colleagues read what was written when. The note given at
// resolution stays in work_items.note (a label for model evaluation) and is not copied here; the
// history shows it with its resolve transition (alerts/work-item-notes.ts).
// No foreign key to work_items: DuckDB implements UPDATE as delete + insert, which a referenced row
// refuses, and every claim, snooze and resolve updates its item.
export const m0014WorkItemNotes: Migration = {
	id: 14,
	name: 'work-item-notes',
	sql: `
CREATE TABLE work_item_notes (
	id TEXT PRIMARY KEY,
	work_item_id TEXT NOT NULL,
	author TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	body TEXT NOT NULL
);
CREATE INDEX work_item_notes_item ON work_item_notes (work_item_id, created_at);
`
};
