// The customer 360 as pages and the API show it: a churn score stored without reasons (a scoring
// round explains only its likeliest churners) is explained the first time someone looks.
import { explainCustomer } from '../churn/explain-on-view';
import type { Db } from '../db';
import { getCustomerProfile } from './profile';
import type { CustomerProfile } from './profile-types';

export async function loadCustomerProfile(db: Db, customerId: string): Promise<CustomerProfile | null> {
	const p = await getCustomerProfile(db, customerId);
	if (!p?.score || p.reasons !== null) return p;
	return (await explainCustomer(db, customerId)) ? getCustomerProfile(db, customerId) : p;
}
