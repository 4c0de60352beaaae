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

/**
 * Roles (README's role table; admin always passes): who may read the work list, who may change items,
 * and who may see or change alert configuration. Configuration means rules (with export and preview),
 * silences, webhook destinations (their URLs are secrets), the delivery log and tolerance settings:
 * retention and executive work from the list and the dashboards, and a silence they set would mute
 * alerts for everyone. Executives read dashboards only: a work item carries the customer's name, value,
 * churn probability, debt, holder and notes, which they may not read on the customer pages either.
 */
export const READ_ROLES = ['retention', 'analyst'] as const;
export const ITEM_ROLES = ['retention'] as const;
export const RULE_ROLES = ['analyst'] as const;
export const CUSTOMER_ROLES = ['retention', 'analyst'] as const;
