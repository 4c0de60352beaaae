// Where the alerts module's live events go. Payloads have the shapes of `alert` and `workitem` in
// the shared live event map (src/lib/shared/live-events.ts); the live hub registers itself here at
// start-up. Until then (CLI, tests) publishing is a no-op.

import type { AlertPayload, FiringPayload, WorkItemPayload } from '../../shared/live-events';

export type AlertLiveEvent = AlertPayload;
export type WorkItemLiveEvent = WorkItemPayload;

export interface AlertsPublisher {
	alert: (e: AlertLiveEvent) => void;
	workitem: (e: WorkItemLiveEvent) => void;
	/** The list of metric rules firing now (firing-now.ts); optional for publishers that ignore it. */
	firing?: (e: FiringPayload) => void;
}

let publisher: AlertsPublisher | null = null;

export function setAlertsPublisher(p: AlertsPublisher | null): void {
	publisher = p;
}

export function publishAlert(e: AlertLiveEvent): void {
	publisher?.alert(e);
}

export function publishFiring(e: FiringPayload): void {
	publisher?.firing?.(e);
}

export function publishWorkItem(e: WorkItemLiveEvent): void {
	publisher?.workitem(e);
}
