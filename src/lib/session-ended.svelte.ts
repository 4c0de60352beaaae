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

/**
 * A reload of the page on screen (a live update, the work list after an action) that the server sent to the
 * sign-in page because the session ended. SvelteKit follows such a redirect as a `goto` and runs
 * beforeNavigate for it (it does not for redirects of the user's own navigations, which should reach the
 * login page); cancelling it keeps the page, its dialogs and what they hold, with "Sign in again" in the
 * header (QA: a tab jumped to the login page by itself seconds after a sign-out in another tab).
 */
export function isReloadSentToSignIn(nav: { type: string; to: { url: URL } | null }): boolean {
	return nav.type === 'goto' && nav.to?.url.pathname === '/login';
}
