// The counts beside "Alerts" in the navigation: the layout load's, until a page's stream sends newer
// ones (the layout has no stream of its own; see live-alert-counts.svelte.ts).

export interface NavAlertCounts {
	firing: number;
	open: number;
	/** Each pill's accessible name: the firing pill counts metric alert rules only (customer alerts become work items). */
	firingName: string;
	openName: string;
	/** What the counts say, for the tooltip. */
	label: string;
	/** The pills shown, as the link's name goes on after "Alerts, ": '' when none is shown. */
	spoken: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function navAlertCounts(
	loaded: { firing: number; open_items: number },
	/** `followed`: the page's stream keeps the open count current (live-open-items.svelte.ts). */
	live: { firing: number | null; openItems: number | null; followed: boolean }
): NavAlertCounts {
	const firing = live.firing ?? loaded.firing;
	const open = live.openItems ?? loaded.open_items;
	// Only where no stream follows the count does it age; a followed one is current from the load on.
	const asOf = live.openItems === null && !live.followed ? " (open items as of this page's load)" : '';
	const firingName = `${plural(firing, 'metric alert rule', 'metric alert rules')} firing`;
	const openName = `${open.toLocaleString('en-GB')} open work item${open === 1 ? '' : 's'}`;
	const spoken = [firing > 0 ? firingName : '', open > 0 ? openName : ''].filter(Boolean).join(', ');
	return { firing, open, firingName, openName, label: `${firingName}, ${openName}${asOf}`, spoken };
}
