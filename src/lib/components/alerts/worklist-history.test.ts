// An item's history: transitions and notes interleaved by time.
import { describe, expect, it } from 'vitest';
import { historyEntries, type HistoryNote, type HistoryTransition } from './worklist-history';

const tr = (at: string, to: string): HistoryTransition => ({ at, actor: 'ann', from: null, to, detail: null });
const note = (created_at: string, text: string, kind: HistoryNote['kind'] = 'note'): HistoryNote => ({
	id: text,
	author: 'bob',
	created_at,
	note: text,
	kind
});

describe('historyEntries', () => {
	it('interleaves notes with transitions by time, a transition first at the same instant', () => {
		const entries = historyEntries(
			[tr('2026-03-01T10:00:00Z', 'open'), tr('2026-03-01T11:00:00Z', 'claimed'), tr('2026-03-01T13:00:00Z', 'resolved')],
			[note('2026-03-01T12:00:00Z', 'voicemail'), note('2026-03-01T13:00:00Z', 'waived', 'resolution'), note('2026-03-01T14:00:00Z', 'follow-up')]
		);
		expect(entries.map((e) => (e.kind === 'note' ? e.note.note : e.transition.to))).toEqual([
			'open',
			'claimed',
			'voicemail',
			'resolved',
			'waived',
			'follow-up'
		]);
		expect(new Set(entries.map((e) => e.key)).size).toBe(6);
	});

	it('keeps transitions recorded at one instant in their order', () => {
		const entries = historyEntries([tr('2026-03-01T10:00:00Z', 'open'), tr('2026-03-01T10:00:00Z', 'claimed')], []);
		expect(entries.map((e) => e.kind === 'transition' && e.transition.to)).toEqual(['open', 'claimed']);
	});
});
