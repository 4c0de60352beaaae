// A churn item's chance on the work list, worded as a tolerance item's debt (item-debt.ts): the score now
// first (what Priority multiplies), then the one the item was opened with. Priority said "P 16.2 %" and
// the reason "P(churn) 17.4 %" on one row, two figures for one customer with nothing to tell them apart.
import { chance } from '$lib/shared/format';

/**
 * "P(churn) 16.2 % now (17.4 % at opening)"; without the opening figure when it reads the same at the
 * shown precision. Null when the list gave no score now: the caller words the stored detail as before.
 */
export function churnChanceText(detail: Record<string, unknown> | null, probabilityNow: number | null): string | null {
	if (probabilityNow === null || !Number.isFinite(probabilityNow)) return null;
	const p = detail?.probability;
	const then = typeof p === 'number' && Number.isFinite(p) ? chance(p) : null;
	const now = chance(probabilityNow);
	return `P(churn) ${now} now${then !== null && then !== now ? ` (${then} at opening)` : ''}`;
}
