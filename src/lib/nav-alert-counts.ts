// The counts beside "Alerts" in the navigation: the layout load's, until a page's stream sends newer
// ones (the layout has no stream of its own; see live-alert-counts.svelte.ts).

export interface NavAlertCounts {
	firing: number;
	open: number;
	/** What the counts say, for assistive technology and the tooltip. */
	label: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function navAlertCounts(
	loaded: { firing: number; open_items: number },
	live: { firing: number | null; openItems: number | null }
): NavAlertCounts {
	const firing = live.firing ?? loaded.firing;
	const open = live.openItems ?? loaded.open_items;
	// Until the stream has sent a count, on a page without one for good: say how old it is.
	const asOf = live.openItems === null ? " (open items as of this page's load)" : '';
	return {
		firing,
		open,
		label: `${plural(firing, 'metric alert rule', 'metric alert rules')} firing, ${plural(open, 'open work item', 'open work items')}${asOf}`
	};
}
