// Who may give a work item to someone (POST /api/v1/workitems/:id/assign): one rule for the server, which
// enforces it, and the work list, which offers "Assign…" / "Hand over…" only where it would pass, so the
// two cannot drift apart. Whether the actor may change items at all (the role) is checked before this.

export interface AssignableItem {
	state: string;
	assignee: string | null;
}

export interface AssignActor {
	name: string;
	admin: boolean;
}

/**
 * `ok` with what kind of assignment it is, or why not: a resolved item cannot change (the server's 409),
 * and an item someone else holds is theirs unless the actor is an admin (403). `open`: nobody holds it, so
 * anyone who may change items may give it to someone (a claim for them). `takeover`: an admin gives away
 * someone else's item.
 */
export type AssignVerdict =
	{ ok: true; open: boolean; takeover: boolean } | { ok: false; why: 'resolved' | 'held-by-other' };

export function assignVerdict(item: AssignableItem, actor: AssignActor): AssignVerdict {
	if (item.state === 'resolved') return { ok: false, why: 'resolved' };
	const holder = item.assignee;
	if (holder !== null && holder !== actor.name && !actor.admin) return { ok: false, why: 'held-by-other' };
	return { ok: true, open: holder === null, takeover: holder !== null && holder !== actor.name };
}
