// An item's history as one list (pure): its transitions and its notes, in time order.
import { settingsChangeClosureText } from '$lib/shared/settings-change-closure';

export interface HistoryTransition {
	at: string;
	actor: string;
	from: string | null;
	to: string;
	detail: Record<string, unknown> | null;
}

export interface HistoryNote {
	id: string;
	author: string;
	created_at: string;
	note: string;
	kind: 'note' | 'resolution';
}

export type HistoryEntry =
	| { kind: 'transition'; at: string; key: string; transition: HistoryTransition }
	| { kind: 'note'; at: string; key: string; note: HistoryNote };

/**
 * Oldest first; at the same instant a transition comes before a note, so a resolution's note follows the
 * move to resolved it was written with. The sort is stable: transitions keep their recorded order.
 */
export function historyEntries(
	transitions: readonly HistoryTransition[],
	notes: readonly HistoryNote[]
): HistoryEntry[] {
	const entries: HistoryEntry[] = [
		...transitions.map((t, i) => ({ kind: 'transition' as const, at: t.at, key: `t${i}`, transition: t })),
		...notes.map((n) => ({ kind: 'note' as const, at: n.created_at, key: `n${n.id}`, note: n }))
	];
	const time = (e: HistoryEntry) => Date.parse(e.at);
	return entries.sort((a, b) => time(a) - time(b) || (a.kind === b.kind ? 0 : a.kind === 'transition' ? -1 : 1));
}

/**
 * A release, hand-over, stop of the item's rule or closure after a tolerance settings change in words, a
 * note apart (user text, shown as text); null for other transitions.
 */
export interface TransitionWords {
	text: string;
	note: string | null;
}

const named = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * "released by ana", "handed over by ana to bob", "taken over by admin from bob": who had the item and
 * who has it now say more than "claimed → claimed" (work-item-handover.ts records both in the detail).
 */
export function transitionWords(t: HistoryTransition): TransitionWords | null {
	const d = t.detail;
	if (!d) return null;
	if (d.rule_stop === 'disabled' || d.rule_stop === 'deleted') return { text: ruleStopWords(t, d.rule_stop), note: null };
	if (d.settings_change === true && t.to === 'resolved') return { text: settingsChangeClosureText(d), note: null };
	const from = named(d.from_assignee);
	const note = named(d.note);
	const by = t.actor;
	if (d.action === 'release')
		return { text: from && from !== by ? `released by ${by} from ${from}` : `released by ${by}`, note };
	if (d.action !== 'assign') return null;
	const to = named(d.to_assignee) ?? 'someone';
	let text: string;
	if (from === null) text = to === by ? `claimed by ${by}` : `assigned by ${by} to ${to}`;
	else if (to === by) text = `taken over by ${by} from ${from}`;
	else if (from === by) text = `handed over by ${by} to ${to}`;
	else text = `handed over by ${by} from ${from} to ${to}`;
	return { text, note };
}

/**
 * The rule that opened the item was disabled or deleted (work-item-rule-stop.ts): "closed: rule 'X'
 * disabled by ana" for an item nobody held, "rule 'X' deleted by ana; the item stays with bob" for a held
 * one. Items the alert tick closed later say no name of who stopped the rule (it is not known there).
 */
function ruleStopWords(t: HistoryTransition, stop: 'disabled' | 'deleted'): string {
	const d = t.detail ?? {};
	const rule = named(d.rule_name);
	const by = named(d.by);
	const what = `${rule === null ? 'its rule was' : `rule '${rule}'`} ${stop}${by ? ` by ${by}` : ''}`;
	if (t.to === 'resolved') return `closed: ${what}`;
	const holder = named(d.assignee);
	return holder ? `${what}; the item stays with ${holder}` : `${what}; the item stays ${t.to}`;
}
