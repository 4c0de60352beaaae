// Who may receive which live events. The stream is one for everyone, but customer-level events (scores,
// work items, customer alerts) carry customer ids and churn probabilities, which walls and executives may
// not read anywhere else (they get 403 on customers); training progress belongs to model users.
import type { Principal, Role } from '../../shared/auth-types';
import type { LiveEventMap, LiveEventName } from './events';

export type Audience = 'everyone' | 'customer-data' | 'models';

/** Roles besides admin that see each restricted audience (the same roles as the matching pages). */
const ROLES_FOR: Record<Exclude<Audience, 'everyone'>, readonly Role[]> = {
	'customer-data': ['analyst', 'retention'],
	models: ['analyst']
};

export function audienceOf<K extends LiveEventName>(event: K, data: LiveEventMap[K]): Audience {
	switch (event) {
		case 'score':
		case 'workitem':
			return 'customer-data';
		case 'alert':
			return (data as LiveEventMap['alert']).customerId === null ? 'everyone' : 'customer-data';
		case 'train-progress':
			return 'models';
		default:
			return 'everyone';
	}
}

export function audiencesFor(p: Principal): ReadonlySet<Audience> {
	const role = p.kind === 'user' ? p.role : p.kind === 'api-key' && p.scope !== 'ingest' ? p.scope : null;
	const out = new Set<Audience>(['everyone']);
	if (!role) return out;
	for (const [audience, roles] of Object.entries(ROLES_FOR) as [
		Exclude<Audience, 'everyone'>,
		readonly Role[]
	][])
		if (role === 'admin' || roles.includes(role)) out.add(audience);
	return out;
}
