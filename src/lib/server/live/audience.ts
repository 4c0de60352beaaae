// Who may receive which live events. Customer-level events (scores, work items, customer alerts) carry
// customer ids and churn probabilities, which walls and executives may not read anywhere else (they
// get 403 on customers); training and backtest progress belong to model users, and so does the debt
// recompute's (its admins are in that view). The audiences nest, so there are
// three views of the stream, each with its own gap-free sequence of frames (hub.ts):
// public (walls, executives) ⊂ customers (retention) ⊂ all (analysts, admins).
import type { Principal } from '../../shared/auth-types';
import type { LiveEventMap, LiveEventName } from './events';

export type Audience = 'everyone' | 'customer-data' | 'models';
export type View = 'public' | 'customers' | 'all';

export const VIEWS: readonly View[] = ['public', 'customers', 'all'];

const SEES: Record<View, readonly Audience[]> = {
	public: ['everyone'],
	customers: ['everyone', 'customer-data'],
	all: ['everyone', 'customer-data', 'models']
};

export function audienceOf<K extends LiveEventName>(event: K, data: LiveEventMap[K]): Audience {
	switch (event) {
		case 'score':
		case 'workitem':
			return 'customer-data';
		case 'alert':
			return (data as LiveEventMap['alert']).customerId === null ? 'everyone' : 'customer-data';
		case 'train-progress':
		case 'backtest-progress':
		case 'debt-recompute': // for the admins who saved the tolerance settings (the 'all' view)
			return 'models';
		default:
			return 'everyone';
	}
}

/** The views whose viewers may receive an audience's frames. */
export function viewsSeeing(a: Audience): View[] {
	return VIEWS.filter((v) => SEES[v].includes(a));
}

/** The view of the stream a principal gets (the same roles as the matching pages and APIs). */
export function viewFor(p: Principal): View {
	const role = p.kind === 'user' ? p.role : p.kind === 'api-key' && p.scope !== 'ingest' ? p.scope : null;
	if (role === 'admin' || role === 'analyst') return 'all';
	if (role === 'retention') return 'customers';
	return 'public';
}
