// The name of an API key or a display token: what Settings' "Revoke NAME" buttons, `keys list` and the
// audit's subject tell apart. Two active credentials of one name made those ambiguous (QA: two "shop
// webhook" keys), so a name in use by an active one is refused; a name too long is refused, never cut
// (the form's maxlength used to cut a pasted name silently). Pure: the callers read the names in use
// under their write lock, so two requests cannot both take a name.

export const MAX_CREDENTIAL_NAME = 100;

export type NameChoice = { ok: true; name: string } | { ok: false; error: string; field: 'name' };

const same = (a: string, b: string) => a.toLocaleLowerCase('en') === b.toLocaleLowerCase('en');

/**
 * The name to store. `wanted` as typed (trimmed; empty: none given), `taken` the names of the active
 * credentials of the same kind, `fallback` the default ("ingest key"), numbered when in use ("ingest key 2")
 * since nobody chose it. `what` names the kind in messages ("API key").
 */
export function chooseCredentialName(wanted: string | undefined, taken: readonly string[], fallback: string, what: string): NameChoice {
	const typed = (wanted ?? '').trim();
	if (typed) {
		const n = [...typed].length;
		if (n > MAX_CREDENTIAL_NAME)
			return { ok: false, field: 'name', error: `name is ${n.toLocaleString('en-GB')} characters long; at most ${MAX_CREDENTIAL_NAME} are allowed` };
		const clash = taken.find((t) => same(t, typed));
		if (clash !== undefined)
			return { ok: false, field: 'name', error: `name "${clash}" is already used by an active ${what}; choose another name or revoke that ${what} first` };
		return { ok: true, name: typed };
	}
	let name = fallback;
	for (let i = 2; taken.some((t) => same(t, name)); i++) name = `${fallback} ${i}`;
	return { ok: true, name };
}
