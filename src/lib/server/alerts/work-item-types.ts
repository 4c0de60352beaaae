// Work items (DESIGN §6): a firing customer alert someone in retention acts on.
import { SYSTEM_ACTOR } from '../auth/actors';
export const WORK_ITEM_STATES = ['open', 'claimed', 'snoozed', 'resolved'] as const;
export type WorkItemState = (typeof WORK_ITEM_STATES)[number];
export const OUTCOMES = ['retained', 'churned', 'no_action', 'false_alarm'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const WORK_ITEM_REASONS = ['tolerance', 'churn', 'silent'] as const;

export interface WorkItem {
	id: string;
	customer_id: string;
	customer_name: string | null;
	segment: string | null;
	rule_id: string | null;
	reason: string;
	detail: Record<string, unknown> | null;
	state: WorkItemState;
	assignee: string | null;
	snoozed_until: string | null;
	probability: number | null;
	monthly_value: number | null;
	priority: number;
	outcome: Outcome | null;
	root_cause: string | null;
	note: string | null;
	created_at: string;
	updated_at: string;
	/** The rule that opened the item, as it is now: a held item outlives a rule disabled or deleted. */
	rule_name: string | null;
	rule_status: 'enabled' | 'disabled' | 'deleted' | null;
}

/**
 * An item as the work list (page and GET /api/v1/workitems) gives it. A tolerance item's detail keeps the
 * debt and limit it was opened with; the list also says what they are now, as the customer's page does:
 * debt decayed to the time of the list's query with the customer's half-life, rounded to 0.1 pts, and the
 * limit the customer is judged against. Null for items of other reasons.
 */
export interface ListedWorkItem extends WorkItem {
	debt_now: number | null;
	limit_now: number | null;
}

export interface WorkItemTransition {
	work_item_id: string;
	at: string;
	actor: string;
	from: WorkItemState | null;
	to: WorkItemState;
	detail: Record<string, unknown> | null;
}

/**
 * A note on an item, oldest first in every list. `note`: written while the item was worked
 * (work_item_notes); `resolution`: the note given when it was resolved (work_items.note), by whoever
 * resolved it, when they did.
 */
export interface WorkItemNote {
	id: string;
	work_item_id: string;
	author: string;
	created_at: string;
	note: string;
	kind: 'note' | 'resolution';
}

/** Expected failures of a work-item action, with the HTTP status the API answers with. */
export type WorkItemError =
	| { status: 404; error: string }
	| { status: 403; error: string; holder: string | null }
	| { status: 409; error: string; holder: string | null }
	| { status: 422; error: string; field: string };

export type WorkItemResult = { ok: true; value: WorkItem } | { ok: false; error: WorkItemError };

/** Days after a resolution during which the same customer gets no new item for the same reason. */
export const REOPEN_COOLDOWN_DAYS = 7;
/** Root cause of an unclaimed item the alert tick closes because its rule no longer matches the customer. */
export const CONDITION_CLEARED = 'condition cleared';
/**
 * SQL condition on a resolved work item aliased `alias` (an identifier from the code, never input): its
 * resolution starts the cool-down. The cool-down is for a customer someone worked on; closures by the
 * system, which nobody acted on, start none (except "customer cancelled": the customer has left):
 * - rule disabled or deleted (work-item-rule-stop.ts): a rule enabled again opens new items at its next run
 *   for the customers still matching it, while the closed ones stay closed;
 * - a tolerance settings save took the customer under the limit (work-item-settings-change.ts): settings put
 *   back open items again at the next tick for the customers over the limit again;
 * - the condition cleared (work-item-upkeep.ts): a customer back in the high band, over the limit or silent
 *   again gets a new item at the next customer-rule run. With a cool-down, a churn score that dipped out of
 *   the high band for a minute kept the customer off the list for a week (on the live demo 221 of ~380
 *   churn items closed so within minutes of opening). Matched by actor and root cause rather than a new
 *   detail key so items closed before this rule count too; a person cannot act as the system (actors.ts),
 *   so a person's resolution with the same root cause still starts the cool-down.
 */
export function startsCooldownSql(alias: 'w' | 'cw'): string {
	return `NOT EXISTS (SELECT 1 FROM work_item_transitions rs WHERE rs.work_item_id = ${alias}.id
		AND rs.to_state = 'resolved' AND (json_extract_string(rs.detail, '$.rule_stop') IS NOT NULL
			OR json_extract_string(rs.detail, '$.settings_change') = 'true'
			OR (rs.actor = '${SYSTEM_ACTOR}' AND json_extract_string(rs.detail, '$.root_cause') = '${CONDITION_CLEARED}')))`;
}
/** Churn probability assumed for priority when a customer has no score yet. */
export const ASSUMED_PROBABILITY = 0.5;
/**
 * Most items one tick opens, closes or re-prioritizes, each: the tick writes under the database's write
 * lock, and a first tick after a large import could otherwise change ~100,000 items in one transaction
 * (~12 s of waiting ingest and sign-ins). The rest follow in the next ticks, highest priority first.
 */
export const ITEM_CHANGES_PER_TICK = 2_000;
