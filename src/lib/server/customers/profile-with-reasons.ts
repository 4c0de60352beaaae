// The customer 360 as pages and the API show it: a churn score stored without reasons (a scoring
// round explains only its likeliest churners) is explained the first time someone looks.
import { explainCustomer } from '../churn/explain-on-view';
import type { Db } from '../db';
import { getCustomerProfile, type TimelineCursor } from './profile';
import type { CustomerProfile } from './profile-types';

const NOTES = {
	pending: 'being worked out; reload the page in a moment',
	unscored: "not explained: the current model does not score this customer any more (outside its population), so this is an earlier score"
} as const;

export async function loadCustomerProfile(db: Db, customerId: string, older: TimelineCursor | null = null): Promise<CustomerProfile | null> {
	const p = await getCustomerProfile(db, customerId, Date.now(), older);
	if (!p?.score || p.reasons !== null) return p;
	const outcome = await explainCustomer(db, customerId);
	if (outcome === 'done') return getCustomerProfile(db, customerId, Date.now(), older);
	return { ...p, reasons_note: NOTES[outcome] };
}
