// A churn item waits before closing as "condition cleared": its customer must have stayed out of the rule's
// band (or under its probability) for CHURN_CLEAR_GRACE_MS. Scores move with every few new events, and a
// customer near the band's edge otherwise had an item opened and closed within a minute, then opened again
// when the next events brought the score back (live demo: 14.3 % for 13 minutes between 22.3 % and 21.9 %).
// Tolerance debt only falls by decay and silence only ends with activity, so their items close at once.
import type { ClearedItem } from './work-item-upkeep';

export const CHURN_CLEAR_GRACE_MS = 30 * 60_000;

/**
 * Of the items found cleared by this customer-rule run, the ones to close now. `seen` remembers, per item,
 * the run that first found it cleared; it is kept in memory (a restart only restarts the wait) and forgets
 * items not found cleared this run: matching again, claimed, closed, or past the run's cap (they start over).
 * Items of customers who have left never wait: they close as churned.
 */
export function clearedToClose(
	seen: Map<string, number>,
	cleared: readonly ClearedItem[],
	now: number
): ClearedItem[] {
	const waiting = cleared.filter((c) => c.reason === 'churn' && !c.left);
	const ids = new Set(waiting.map((c) => c.id));
	for (const id of seen.keys()) if (!ids.has(id)) seen.delete(id);
	for (const c of waiting) if (!seen.has(c.id)) seen.set(c.id, now);
	return cleared.filter((c) => !ids.has(c.id) || now - seen.get(c.id)! >= CHURN_CLEAR_GRACE_MS);
}
