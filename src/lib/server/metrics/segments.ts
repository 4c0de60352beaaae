// Segments offered by the filters: those customers carry, plus the default.
import type { Db } from '../db';

export async function listSegments(db: Db): Promise<string[]> {
	const rows = await db.all<{ segment: string }>(
		`SELECT DISTINCT segment FROM (SELECT segment FROM customers UNION SELECT 'default') ORDER BY segment LIMIT 200`
	);
	return rows.map((r) => r.segment);
}
