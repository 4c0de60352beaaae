// What a tolerance save says about a segment no customer is in: the settings are kept (customers may
// arrive later), but a typo or a case variant ('VIP' for 'vip') would otherwise pass unnoticed, since a
// segment's settings reach only customers whose segment matches exactly.
import type { Db } from '../db';
import { listSegments } from '../metrics/segments';
import { ANY_SEGMENT } from './tolerance-settings';

/** "no customer is in segment VIP yet; …: known segments are consumer, smb, vip"; null when some are, or for '*'. */
export async function segmentWithoutCustomers(db: Db, segment: string): Promise<string | null> {
	if (segment === ANY_SEGMENT) return null;
	// Only segments customers are in: a customer loaded without one is in 'default' (the column's default).
	const known = await listSegments(db, {});
	if (known.includes(segment)) return null;
	const which = known.length ? `known segments are ${known.join(', ')}` : 'no customers are loaded yet';
	return `no customer is in segment ${segment} yet; segments are matched exactly, case included: ${which}`;
}
