// The work list's keyboard selection, by item id (pure; the page keeps the state). c/s/r act on the
// selected item only, and the selected item is the highlighted row: a live refresh that moves rows
// never hands the selection to another customer.

export interface Selection {
	/** The selected item; null: nothing selected (no row is highlighted and c/s/r do nothing). */
	id: string | null;
	/**
	 * Where the selected item was when it left the list (someone else resolved it, say); null when the
	 * selection was not lost. While it is set nothing is selected, and j/k continue from that place.
	 */
	lostAt: number | null;
}

export const NOTHING: Selection = { id: null, lostAt: null };

export interface Reconciled {
	selection: Selection;
	/** The id of a selected item that left the list without the user doing it, to tell the user. */
	lost: string | null;
}

/**
 * The selection after the list changed from `prev` to `next` (ids in display order).
 * - The selected item still listed stays selected, wherever it moved.
 * - `fresh` (the filters or the sort changed, or the page just loaded) and nothing selected that is
 *   listed: the first row, highlighted, as on a newly opened page. So is a list that was empty until now.
 * - The selected item left because of the user's own action (`ownChange` is its id: resolved, or
 *   snoozed out of the filter): the row that took its place, so the user keeps working down the list.
 * - It left for another reason (another user, the alert loop): nothing is selected, and `lost` says so.
 */
export function reconcile(
	sel: Selection,
	prev: readonly string[],
	next: readonly string[],
	opts: { fresh?: boolean; ownChange?: string | null } = {}
): Reconciled {
	if (sel.id !== null && next.includes(sel.id))
		return { selection: { id: sel.id, lostAt: null }, lost: null };
	const first: Selection = { id: next[0] ?? null, lostAt: null };
	if (opts.fresh) return { selection: first, lost: null };
	if (sel.id === null) return { selection: sel.lostAt === null ? first : sel, lost: null };
	const at = Math.max(0, prev.indexOf(sel.id));
	if (opts.ownChange === sel.id) {
		const id = next.length ? next[Math.min(at, next.length - 1)] : null;
		return { selection: { id, lostAt: id === null ? at : null }, lost: null };
	}
	return { selection: { id: null, lostAt: at }, lost: sel.id };
}

/**
 * j (+1) and k (−1). From a lost selection, j takes the row that took the lost item's place and k the
 * row above it; with nothing selected at all, either takes the first row.
 */
export function move(sel: Selection, ids: readonly string[], step: 1 | -1): Selection {
	if (!ids.length) return sel;
	const i = sel.id === null ? -1 : ids.indexOf(sel.id);
	if (i >= 0) return { id: ids[Math.min(ids.length - 1, Math.max(0, i + step))], lostAt: null };
	if (sel.lostAt !== null) {
		const j = step === 1 ? sel.lostAt : sel.lostAt - 1;
		return { id: ids[Math.min(ids.length - 1, Math.max(0, j))], lostAt: null };
	}
	return { id: ids[0], lostAt: null };
}

/** What a SvelteKit snapshot keeps across navigation (Back from a customer). */
export interface SelectionSnapshot {
	id: string | null;
	index: number;
}

/** The selection a snapshot restores: the item if still listed, else nothing (from its old place). */
export function restore(snap: SelectionSnapshot | undefined, ids: readonly string[]): Reconciled | null {
	if (!snap || snap.id === null) return null;
	if (ids.includes(snap.id)) return { selection: { id: snap.id, lostAt: null }, lost: null };
	return { selection: { id: null, lostAt: Math.max(0, snap.index) }, lost: snap.id };
}
