// Who acts on a work item, from the request's principal.
import type { Principal } from '../../shared/auth-types';
import type { Actor } from './work-item-actions';

export function actorFrom(p: Principal): Actor {
	switch (p.kind) {
		case 'user':
			return { name: p.username, admin: p.role === 'admin' };
		case 'api-key':
			return { name: `key:${p.name}`, admin: p.scope === 'admin' };
		case 'display':
			return { name: `display:${p.board}`, admin: false };
	}
}

/** Roles: who may read the work list and alert states, who may change items, who may edit rules. */
export const READ_ROLES = ['retention', 'analyst', 'executive'] as const;
export const ITEM_ROLES = ['retention'] as const;
export const RULE_ROLES = ['analyst'] as const;
export const CUSTOMER_ROLES = ['retention', 'analyst'] as const;
