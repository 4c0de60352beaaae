// An item's history as one list (pure): its transitions and its notes, in time order.

export interface HistoryTransition {
	at: string;
	actor: string;
	from: string | null;
	to: string;
	detail: Record<string, unknown> | null;
}

export interface HistoryNote {
	id: string;
	author: string;
	created_at: string;
	note: string;
	kind: 'note' | 'resolution';
}

export type HistoryEntry =
	| { kind: 'transition'; at: string; key: string; transition: HistoryTransition }
	| { kind: 'note'; at: string; key: string; note: HistoryNote };

/**
 * Oldest first; at the same instant a transition comes before a note, so a resolution's note follows the
 * move to resolved it was written with. The sort is stable: transitions keep their recorded order.
 */
export function historyEntries(
	transitions: readonly HistoryTransition[],
	notes: readonly HistoryNote[]
): HistoryEntry[] {
	const entries: HistoryEntry[] = [
		...transitions.map((t, i) => ({ kind: 'transition' as const, at: t.at, key: `t${i}`, transition: t })),
		...notes.map((n) => ({ kind: 'note' as const, at: n.created_at, key: `n${n.id}`, note: n }))
	];
	const time = (e: HistoryEntry) => Date.parse(e.at);
	return entries.sort((a, b) => time(a) - time(b) || (a.kind === b.kind ? 0 : a.kind === 'transition' ? -1 : 1));
}
