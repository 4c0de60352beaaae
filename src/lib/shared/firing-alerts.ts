// Metric alerts firing now, as pages outside /alerts show them: the server's list when the page loads,
// then kept current from the stream's `alert` frames (one per state change, never per tick).
import type { AlertPayload } from './live-events';

/** The app layout's dependency for the count beside "Alerts" (refreshed on a timer, not per frame). */
export const ALERT_COUNTS_KEY = 'cx:alert-counts';

export interface FiringAlert {
	rule_id: string;
	name: string;
	metric: string;
	/** The rule's value when it was last evaluated (or when it started firing, for a frame); null without data. */
	value: number | null;
	/** When the rule entered `firing`, ISO. */
	since: string;
}

const bySince = (a: FiringAlert, b: FiringAlert) => a.since.localeCompare(b.since) || a.name.localeCompare(b.name);

/** The list after one `alert` frame: a metric rule that fires joins (or stays, keeping its start), any other state leaves. */
export function applyAlertFrame(list: readonly FiringAlert[], p: AlertPayload): FiringAlert[] {
	if (p.metric === null) return [...list];
	const rest = list.filter((a) => a.rule_id !== p.ruleId);
	if (p.state !== 'firing') return rest;
	const since = list.find((a) => a.rule_id === p.ruleId)?.since ?? p.at;
	return [...rest, { rule_id: p.ruleId, name: p.name, metric: p.metric, value: p.value, since }].sort(bySince);
}

export function sortFiring(list: FiringAlert[]): FiringAlert[] {
	return list.sort(bySince);
}
