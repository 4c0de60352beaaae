// Whether the credentials a long-lived request was opened with still allow it. An event stream checked them
// only when it opened, so a revoked display token's wall, or a disabled user's open page, kept receiving live
// data until the connection happened to drop.
import type { Db } from '../db';
import type { Principal } from '../../shared/auth-types';
import { authenticateRequest, type RequestCredentials } from './authenticate';
import { credentialEpoch } from './credential-epoch';

/** Sessions and display tokens also expire with time, not only by a change this process makes. */
const FULL_CHECK_EVERY_MS = 10 * 60_000;

function sameHolder(a: Principal, b: Principal): boolean {
	if (a.kind === 'user' && b.kind === 'user') return a.userId === b.userId && a.sessionId === b.sessionId;
	if (a.kind === 'api-key' && b.kind === 'api-key') return a.keyId === b.keyId;
	if (a.kind === 'display' && b.kind === 'display') return a.tokenId === b.tokenId;
	return false;
}

/**
 * A check for `principal`, opened with `credentials`: cheap while no credential changed (see credential-epoch.ts)
 * and a full authentication when one did or every ten minutes. `allows` is the route's own rule (e.g. a role).
 */
export function accessRecheck(
	db: () => Promise<Db>,
	credentials: RequestCredentials,
	principal: Principal,
	allows: (p: Principal) => boolean,
	now: () => number = Date.now
): () => Promise<boolean> {
	let seen = credentialEpoch();
	let checkedAt = now();
	return async () => {
		if (seen === credentialEpoch() && now() - checkedAt < FULL_CHECK_EVERY_MS) return true;
		seen = credentialEpoch();
		checkedAt = now();
		const a = await authenticateRequest(await db(), credentials, checkedAt);
		return a.principal !== null && sameHolder(a.principal, principal) && allows(a.principal);
	};
}
