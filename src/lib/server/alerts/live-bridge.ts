// Where the alerts module's live events go. Payloads have the shapes of `alert` and `workitem` in
// the shared live event map (src/lib/shared/live-events.ts); the live hub registers itself here at
// start-up. Until then (CLI, tests) publishing is a no-op.

export interface AlertLiveEvent {
	ruleId: string;
	name: string;
	state: 'normal' | 'pending' | 'firing' | 'recovering' | 'nodata' | 'error';
	previousState: string | null;
	metric: string | null;
	customerId: string | null;
	value: number | null;
	at: string;
}

export interface WorkItemLiveEvent {
	id: string;
	customerId: string;
	status: 'open' | 'claimed' | 'snoozed' | 'resolved';
	assignee: string | null;
	priority: number | null;
	at: string;
}

export interface AlertsPublisher {
	alert: (e: AlertLiveEvent) => void;
	workitem: (e: WorkItemLiveEvent) => void;
}

let publisher: AlertsPublisher | null = null;

export function setAlertsPublisher(p: AlertsPublisher | null): void {
	publisher = p;
}

export function publishAlert(e: AlertLiveEvent): void {
	publisher?.alert(e);
}

export function publishWorkItem(e: WorkItemLiveEvent): void {
	publisher?.workitem(e);
}
