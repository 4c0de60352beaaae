// Live pages reload their data when the stream says something changed. SvelteKit lets an
// invalidation win over a navigation already under way (it takes the navigation's token), so a
// reload fired while the user goes Back left the new URL in the address bar over the old page.
import { invalidateAll } from '$app/navigation';
import { navigating } from '$app/state';

/** Reloads the current page's data, unless the user is already leaving it. */
export function refreshPageData(): Promise<void> {
	return navigating.to ? Promise.resolve() : invalidateAll();
}
