// Query parameters an endpoint does not read: a misspelt filter (`stat=open`, `windw=1h`, `since=`)
// would otherwise answer for no filter at all, as if that had been asked for.

/** The names in `sp` that are not in `known` (each once, in order of appearance). */
export function unknownParams(sp: URLSearchParams, known: readonly string[]): string[] {
	return [...new Set(sp.keys())].filter((k) => !known.includes(k));
}

/** One error message for them, or null when there are none. */
export function unknownParamsMessage(sp: URLSearchParams, known: readonly string[]): string | null {
	const bad = unknownParams(sp, known);
	return bad.length ? `unknown parameter${bad.length > 1 ? 's' : ''} ${bad.join(', ')}; use ${known.join(', ')}` : null;
}
