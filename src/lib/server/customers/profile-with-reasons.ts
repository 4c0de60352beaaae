// The customer 360 as pages and the API show it: a churn score stored without reasons (a scoring
// round explains only its likeliest churners) is explained the first time someone looks; past scores get
// the band their model gave them (score_history stores none).
import { explainCustomer } from '../churn/explain-on-view';
import { config } from '../config';
import type { Db } from '../db';
import { withHistoryBands } from './history-bands';
import { getCustomerProfile, type TimelineCursor } from './profile';
import type { CustomerProfile } from './profile-types';

const NOTES = {
	pending: 'being worked out; reload the page in a moment',
	failed: 'not explained: scoring this customer again failed (the server log says why)'
} as const;

export async function loadCustomerProfile(db: Db, customerId: string, older: TimelineCursor | null = null): Promise<CustomerProfile | null> {
	const p = await profileWithReasons(db, customerId, older);
	return p && { ...p, score_history: withHistoryBands(config().modelsDir, p.score_history) };
}

async function profileWithReasons(db: Db, customerId: string, older: TimelineCursor | null): Promise<CustomerProfile | null> {
	const p = await getCustomerProfile(db, customerId, Date.now(), older);
	if (!p?.score || p.reasons !== null) return p;
	const outcome = await explainCustomer(db, customerId);
	if (outcome === 'pending') return { ...p, reasons_note: NOTES.pending };
	// 'unscored': the champion no longer scores the customer and the scorer removed the score, or it failed.
	const again = await getCustomerProfile(db, customerId, Date.now(), older);
	return outcome === 'unscored' && again?.score && again.reasons === null ? { ...again, reasons_note: NOTES.failed } : again;
}
