// Metric alert rules firing now, as pages outside /alerts show them (the Overview, walls). The list
// travels whole as the stream's `firing` event: sent whenever it changes and to every new connection,
// so a page never has to merge state changes it may have missed.

export interface FiringAlert {
	rule_id: string;
	name: string;
	metric: string;
	/** The rule's value at its latest evaluation; null without data. */
	value: number | null;
	/** The window that value covers (the metric's default, e.g. '24 h'), which may differ from the page's tiles. */
	window: string;
	/** When the rule entered `firing`, ISO. */
	since: string;
}

export function sortFiring(list: FiringAlert[]): FiringAlert[] {
	return list.sort((a, b) => a.since.localeCompare(b.since) || a.name.localeCompare(b.name));
}
