// The work list's selection is an item id: a live refresh never hands it to another customer, a filter
// change selects a visible row, and the user's own change moves it to the row that took the item's place.
import { describe, expect, it } from 'vitest';
import { NOTHING, move, reconcile, restore } from './worklist-selection';

describe('reconcile', () => {
	it('a page that loads (or a list that was empty) selects its first row', () => {
		expect(reconcile(NOTHING, [], ['a', 'b'], { fresh: true })).toEqual({
			selection: { id: 'a', lostAt: null },
			lost: null
		});
		expect(reconcile(NOTHING, [], ['a', 'b'])).toEqual({ selection: { id: 'a', lostAt: null }, lost: null });
		expect(reconcile(NOTHING, [], [])).toEqual({ selection: NOTHING, lost: null });
	});

	it('the selected item keeps the selection wherever a refresh moves it', () => {
		const sel = { id: 'b', lostAt: null };
		expect(reconcile(sel, ['a', 'b', 'c'], ['c', 'x', 'b'])).toEqual({ selection: sel, lost: null });
		expect(reconcile(sel, ['a', 'b', 'c'], ['b'], { fresh: true })).toEqual({ selection: sel, lost: null });
	});

	it('another user resolves the selected top row: nothing is selected, not the next customer', () => {
		// The old page kept row index 0, so `c` claimed b, whom the user never chose.
		const r = reconcile({ id: 'a', lostAt: null }, ['a', 'b', 'c'], ['b', 'c']);
		expect(r).toEqual({ selection: { id: null, lostAt: 0 }, lost: 'a' });
		// Later refreshes keep nothing selected (an item arriving does not take the selection).
		expect(reconcile(r.selection, ['b', 'c'], ['n', 'b', 'c'])).toEqual({
			selection: r.selection,
			lost: null
		});
	});

	it("the user's own resolve selects the row that took the item's place, or the last row", () => {
		const own = (id: string, prev: string[], next: string[]) =>
			reconcile({ id, lostAt: null }, prev, next, { ownChange: id }).selection;
		expect(own('b', ['a', 'b', 'c'], ['a', 'c'])).toEqual({ id: 'c', lostAt: null });
		expect(own('c', ['a', 'b', 'c'], ['a', 'b'])).toEqual({ id: 'b', lostAt: null });
		expect(own('a', ['a'], [])).toEqual({ id: null, lostAt: 0 });
	});

	it('a filter change that hides the selected item selects the first visible row', () => {
		expect(reconcile({ id: 'z', lostAt: null }, ['z', 'a'], ['a', 'b'], { fresh: true })).toEqual({
			selection: { id: 'a', lostAt: null },
			lost: null
		});
		expect(reconcile({ id: null, lostAt: 3 }, ['a'], ['b'], { fresh: true }).selection).toEqual({
			id: 'b',
			lostAt: null
		});
		expect(reconcile({ id: 'z', lostAt: null }, ['z'], [], { fresh: true }).selection).toEqual(NOTHING);
	});
});

describe('move (j/k)', () => {
	const ids = ['a', 'b', 'c'];
	it('moves one row and stops at the ends', () => {
		expect(move({ id: 'a', lostAt: null }, ids, 1)).toEqual({ id: 'b', lostAt: null });
		expect(move({ id: 'c', lostAt: null }, ids, 1)).toEqual({ id: 'c', lostAt: null });
		expect(move({ id: 'a', lostAt: null }, ids, -1)).toEqual({ id: 'a', lostAt: null });
	});
	it('after a lost selection, j takes the row now in its place and k the row above', () => {
		expect(move({ id: null, lostAt: 1 }, ids, 1)).toEqual({ id: 'b', lostAt: null });
		expect(move({ id: null, lostAt: 1 }, ids, -1)).toEqual({ id: 'a', lostAt: null });
		expect(move({ id: null, lostAt: 7 }, ids, 1)).toEqual({ id: 'c', lostAt: null });
		expect(move({ id: null, lostAt: 0 }, ids, -1)).toEqual({ id: 'a', lostAt: null });
	});
	it('with nothing selected, the first row; an empty list changes nothing', () => {
		expect(move(NOTHING, ids, -1)).toEqual({ id: 'a', lostAt: null });
		expect(move(NOTHING, [], 1)).toEqual(NOTHING);
	});
});

describe('restore (Back from a customer)', () => {
	it('brings back the item still listed, wherever it is now', () => {
		expect(restore({ id: 'c', index: 2 }, ['c', 'a'])).toEqual({
			selection: { id: 'c', lostAt: null },
			lost: null
		});
	});
	it('an item gone meanwhile selects nothing, from its old place', () => {
		expect(restore({ id: 'c', index: 2 }, ['a', 'b'])).toEqual({
			selection: { id: null, lostAt: 2 },
			lost: 'c'
		});
	});
	it('no snapshot, or one without a selection, restores nothing', () => {
		expect(restore(undefined, ['a'])).toBeNull();
		expect(restore({ id: null, index: -1 }, ['a'])).toBeNull();
	});
});
