// Server-side authorization checks for routes. hooks.server.ts sets locals.principal; every
// +server.ts and +page.server.ts calls one of these before doing anything (defence in depth).
import { error } from '@sveltejs/kit';
import type { KeyScope, Principal, Role } from '../../shared/auth-types';

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** A signed-in user whose role is one of `roles` (admin always passes). 401 anonymous, 403 otherwise. */
export function requireUser(locals: App.Locals, roles?: readonly Role[]): UserPrincipal {
	const p = locals.principal;
	if (!p) error(401, 'sign in required');
	if (p.kind !== 'user') error(403, 'this page needs a signed-in user');
	if (roles && p.role !== 'admin' && !roles.includes(p.role)) error(403, `your role (${p.role}) may not do this`);
	return p;
}

export interface ApiAccess {
	/** User roles (sessions) and API-key role scopes allowed; admin always passes. */
	roles?: readonly Role[];
	/** Extra API-key scopes allowed (e.g. 'ingest'). */
	scopes?: readonly KeyScope[];
	/** Display tokens allowed (GET /api/v1/metrics and /api/v1/stream only). */
	display?: boolean;
}

/** Why `access` refuses principal `p`, or null when it allows it. */
export function accessRefusal(p: Principal, access: ApiAccess): string | null {
	const roles = access.roles ?? [];
	if (p.kind === 'user') return p.role === 'admin' || roles.includes(p.role) ? null : `your role (${p.role}) may not do this`;
	if (p.kind === 'api-key')
		return p.scope === 'admin' || roles.includes(p.scope as Role) || access.scopes?.includes(p.scope)
			? null
			: `this API key's scope (${p.scope}) does not allow this`;
	return access.display ? null : 'a display token opens wall displays only';
}

/** Any principal allowed by `access`. 401 when anonymous, 403 when present but not allowed. */
export function requireAccess(locals: App.Locals, access: ApiAccess): Principal {
	const p = locals.principal;
	if (!p) error(401, 'authentication required: a session, or Authorization: Bearer <key>');
	const refusal = accessRefusal(p, access);
	if (refusal) error(403, refusal);
	return p;
}

/** Name of whoever acts, for audit records. */
export function actorName(p: Principal): string {
	switch (p.kind) {
		case 'user':
			return p.username;
		case 'api-key':
			return `key:${p.name}`;
		case 'display':
			return `display:${p.board}`;
	}
}
