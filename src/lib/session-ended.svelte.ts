// This tab's session ended elsewhere (signed out in another tab, disabled, password reset by an
// administrator): the server answered 401 to the live stream or to an API call. The header then stops
// showing the stale "name / Sign out" and offers "Sign in again" to come back to the same page (QA: a
// second tab said "Live updates refused" and still showed "admin / Sign out").
export const sessionEnded = $state<{ ended: boolean }>({ ended: false });

export function markSessionEnded(): void {
	sessionEnded.ended = true;
}

/** The sign-in link that brings the user back to `pathAndQuery` (the login page checks it is a local path). */
export function signInAgainHref(pathAndQuery: string): string {
	return `/login?next=${encodeURIComponent(pathAndQuery)}`;
}
