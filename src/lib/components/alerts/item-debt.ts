// A tolerance item's debt on the work list: what it is now first (what the customer's page shows), then the
// figure the item was opened with, which decays or grows after. A lead who read "debt 31 pts" for a customer
// whose debt had decayed to 12 worked the list from numbers that were no longer true.

import { points as pts } from '$lib/shared/format';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * "debt 12 pts now (31 at opening), limit 23 pts"; the limit's opening figure too when it differs (settings
 * saved or removed since, or the customer's own tolerance changed). Null when the list gave no debt now
 * (not a tolerance item): the caller words the stored detail as before. `when` replaces "now" for a figure
 * read a while ago ("at 14:32", live-debt.svelte.ts).
 */
export function toleranceDebtText(
	detail: Record<string, unknown> | null,
	debtNow: number | null,
	limitNow: number | null,
	when = 'now'
): string | null {
	if (debtNow === null) return null;
	const debtThen = num(detail?.debt);
	const limitThen = num(detail?.limit);
	const debt = `debt ${pts(debtNow)} pts ${when}${debtThen === null ? '' : ` (${pts(debtThen)} at opening)`}`;
	if (limitNow === null) return debt;
	const changed = limitThen !== null && pts(limitThen) !== pts(limitNow);
	return `${debt}, limit ${pts(limitNow)} pts${changed ? ` (${pts(limitThen)} at opening)` : ''}`;
}
