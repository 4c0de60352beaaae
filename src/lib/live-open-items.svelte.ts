// The newest open-item count a page received on its stream (every `workitem` event carries it), for the
// "N open" beside "Alerts": like liveFiring, because the layout has no stream of its own.
import type { WorkItemPayload } from './shared/live-events';

export const liveOpenItems = $state<{ count: number | null }>({ count: null });

/** A page stream's `workitem` handler, or part of one. */
export function followOpenItems(p: WorkItemPayload): void {
	liveOpenItems.count = p.openItems;
}
