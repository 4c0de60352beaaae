// What the work list offers on an item, and the words it uses (pure). The offer follows the server
// (work-item-actions.ts): a resolved item cannot change, and an item someone else holds answers 409
// unless the user is an admin, who may take it over. A note changes nothing about the item
// (work-item-notes.ts), so it is offered on every item to whoever may change items. Release
// (work-item-handover.ts) is for whoever holds the item; an admin looking at someone else's item gets
// Take over (a hand-over to themselves, recorded as a takeover) and Release instead of Claim. Giving an
// item to a teammate follows the server's own rule (shared/assign-rule.ts): "Assign…" on an open item,
// "Hand over…" on one's own item and, for admins, on anyone's.
import { assignVerdict } from '$lib/shared/assign-rule';
import { messageOf, type ApiAnswer } from './api';

export type ItemAction = 'claim' | 'snooze' | 'resolve' | 'note' | 'release' | 'handover' | 'takeover';

/** The page's message line: errors are alerts in the error colour, the rest status. */
export interface WorkListNote {
	kind: 'error' | 'success' | 'info';
	text: string;
}

export interface ListedItem {
	id: string;
	customer_id: string;
	customer_name: string | null;
	state: string;
	assignee: string | null;
}

export interface Viewer {
	username: string;
	role: string;
	canChangeItems: boolean;
}

/** The customer as the list shows them: name, else id. */
export function customerLabel(item: Pick<ListedItem, 'customer_id' | 'customer_name'>): string {
	return item.customer_name ?? item.customer_id;
}

/** Held by someone other than the viewer. */
export function heldByOther(item: ListedItem, viewer: Viewer): boolean {
	return item.assignee !== null && item.assignee !== viewer.username;
}

/**
 * Why `action` is not offered on `item`, or null when it is. Claiming an item one holds already (and
 * is not snoozed: claiming wakes it) changes nothing, so it is not offered either.
 */
export function refusal(action: ItemAction, item: ListedItem, viewer: Viewer): string | null {
	const who = customerLabel(item);
	if (!viewer.canChangeItems)
		return `Your role (${viewer.role}) can read the work list but not change items.`;
	if (action === 'note') return null;
	if (action === 'handover') {
		const may = assignVerdict(item, { name: viewer.username, admin: viewer.role === 'admin' });
		if (may.ok) return null;
		if (may.why === 'resolved') return `The item for ${who} is already resolved.`;
		return `The item for ${who} is held by ${item.assignee}; only they or an admin can change it.`;
	}
	if (item.state === 'resolved') return `The item for ${who} is already resolved.`;
	if (heldByOther(item, viewer) && viewer.role !== 'admin')
		return `The item for ${who} is held by ${item.assignee}; only they or an admin can change it.`;
	const mine = item.assignee === viewer.username;
	switch (action) {
		case 'claim':
			if (mine && item.state === 'claimed') return `You already hold the item for ${who}.`;
			// An admin's claim of someone else's item is a takeover: Take over records it as one.
			if (!mine && item.assignee !== null)
				return `The item for ${who} is held by ${item.assignee}: take it over (t) or release it (u).`;
			return null;
		case 'release':
			return item.assignee === null ? `Nobody holds the item for ${who}: there is nothing to release.` : null;
		case 'takeover':
			if (mine) return `You already hold the item for ${who}.`;
			return item.assignee === null ? `Nobody holds the item for ${who}: claim it (c) instead.` : null;
		default:
			return null;
	}
}

/** The hand-over button's label for `item`: giving an open item to someone is assigning it. */
export function handoverLabel(item: Pick<ListedItem, 'assignee'>): string {
	return item.assignee === null ? 'Assign…' : 'Hand over…';
}

const PAST: Record<ItemAction, string> = {
	claim: 'Claimed the item for',
	snooze: 'Snoozed the item for',
	resolve: 'Resolved the item for',
	note: 'Added a note to the item for',
	release: 'Released the item for',
	handover: 'Handed over the item for',
	takeover: 'Took over the item for'
};
/** What "Could not …" says was tried. */
const TRIED: Record<ItemAction, string> = {
	claim: 'claim',
	snooze: 'snooze',
	resolve: 'resolve',
	note: 'add a note for',
	release: 'release',
	handover: 'hand over',
	takeover: 'take over'
};

/**
 * "Handed over the item for Ann Lee to bob." `to`: who holds it now, for a hand-over; `assign`: the item
 * was open ("Assigned the item for Ann Lee to bob.").
 */
export function successText(action: ItemAction, customer: string, to?: string, assign = false): string {
	const past = action === 'handover' && assign ? 'Assigned the item for' : PAST[action];
	return `${past} ${customer}${to ? ` to ${to}` : ''}.`;
}

/**
 * "Could not claim Ann Lee: the item is held by ron." The server names items by id; the list knows
 * the customer, which is what the user recognises.
 */
export function failureText(
	action: ItemAction,
	item: { id: string; customer: string },
	answer: ApiAnswer,
	assign = false
): string {
	const why = messageOf(answer)
		.replaceAll(`work item ${item.id}`, 'the item')
		.replaceAll(item.id, `the item for ${item.customer}`);
	const tried = action === 'handover' && assign ? 'assign' : TRIED[action];
	return `Could not ${tried} ${item.customer}: ${why.replace(/\.$/, '')}.`;
}

/**
 * What a screen reader says when a row takes the focus (j/k, Tab, or after an action): who, why, where
 * the item stands and how old it is: "Ann Lee, Tolerance crossed, claimed by rita, opened 3 h ago".
 */
export function rowName(item: ListedItem, reason: string, opened: string): string {
	const state = item.assignee && item.state !== 'open' ? `${item.state} by ${item.assignee}` : item.state;
	return `${customerLabel(item)}, ${reason}, ${state}, ${opened}`;
}
