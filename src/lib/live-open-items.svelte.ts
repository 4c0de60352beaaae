// The newest open-item count a page received on its stream (every `workitem` event carries it), for the
// "N open" beside "Alerts": like liveFiring, because the layout has no stream of its own.
import type { WorkItemPayload } from './shared/live-events';

export const liveOpenItems = $state<{ count: number | null }>({ count: null });

/** A page stream's `workitem` handler, or part of one. */
export function followOpenItems(p: WorkItemPayload): void {
	liveOpenItems.count = p.openItems;
}

/**
 * The pages whose stream calls followOpenItems, by route id: there the count is live from the load on, so
 * the navigation does not date it, not even before the first event (nor in the server's render).
 */
export const OPEN_ITEMS_FOLLOWED_ON: readonly string[] = ['/(app)', '/(app)/alerts', '/(app)/metrics/[id]'];
