// A customer's monthly value as pages and the API read it: NULL when it was never given, since the
// column's default 0 would otherwise read as "worth £0" (see migration 0021).

/** SQL for the monthly value of the customers row aliased `c`. */
export function monthlyValueSql(c = 'c'): string {
	return `CASE WHEN ${c}.monthly_value <> 0 OR EXISTS (SELECT 1 FROM customer_value_given g WHERE g.customer_id = ${c}.customer_id) THEN ${c}.monthly_value END`;
}
