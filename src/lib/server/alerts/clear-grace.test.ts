import { describe, expect, it } from 'vitest';
import { CHURN_CLEAR_GRACE_MS, clearedToClose } from './clear-grace';
import type { ClearedItem } from './work-item-upkeep';

const item = (id: string, reason: string, left = false): ClearedItem => ({
	id,
	customer_id: `c-${id}`,
	rule_id: reason,
	reason,
	left
});
const T0 = Date.UTC(2026, 11, 7, 21, 37);
const ids = (items: ClearedItem[]) => items.map((i) => i.id);

describe('clearedToClose', () => {
	it('tolerance and silent items, and churn items of customers who left, close at once', () => {
		const seen = new Map<string, number>();
		const cleared = [item('t', 'tolerance'), item('s', 'silent'), item('gone', 'churn', true), item('c', 'churn')];
		expect(ids(clearedToClose(seen, cleared, T0))).toEqual(['t', 's', 'gone']);
		expect([...seen]).toEqual([['c', T0]]);
	});

	it('a churn item closes once it has been found cleared for the whole wait, counted from the first run that found it', () => {
		const seen = new Map<string, number>();
		expect(clearedToClose(seen, [item('c', 'churn')], T0)).toEqual([]);
		expect(clearedToClose(seen, [item('c', 'churn')], T0 + CHURN_CLEAR_GRACE_MS - 1)).toEqual([]);
		expect(ids(clearedToClose(seen, [item('c', 'churn')], T0 + CHURN_CLEAR_GRACE_MS))).toEqual(['c']);
	});

	it('an item not found cleared by a run (matching again, claimed, closed) is forgotten: its next wait starts over', () => {
		const seen = new Map<string, number>();
		clearedToClose(seen, [item('c', 'churn'), item('d', 'churn')], T0);
		expect(clearedToClose(seen, [item('d', 'churn')], T0 + 60_000)).toEqual([]);
		expect([...seen.keys()]).toEqual(['d']);
		expect(ids(clearedToClose(seen, [item('c', 'churn'), item('d', 'churn')], T0 + CHURN_CLEAR_GRACE_MS))).toEqual(['d']);
		expect(seen.get('c')).toBe(T0 + CHURN_CLEAR_GRACE_MS);
	});
});
