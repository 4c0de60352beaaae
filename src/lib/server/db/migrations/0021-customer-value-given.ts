import type { Migration } from './index';

// Which customers were given a monthly value. customers.monthly_value is NOT NULL DEFAULT 0, so a
// customer first seen in an event, or imported without the column, reads £0/month: the same as one
// really worth nothing (a free plan). Pages say "not set" for the first and £0 for the second. A
// stored value other than 0 was certainly given; a stored 0 counts as given only when listed here
// (customers stored before this table read "not set"). A table of its own, not a column of customers:
// DuckDB 1.5 cannot replay ALTER TABLE … ADD COLUMN from its WAL (see 0016).
export const m0021CustomerValueGiven: Migration = {
	id: 21,
	name: 'customer-value-given',
	sql: `
CREATE TABLE customer_value_given (
	customer_id TEXT PRIMARY KEY
);
`
};
