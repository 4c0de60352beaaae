import type { Migration } from './index';

// Latest churn score per customer (with the model version and top reasons) and every score ever given.
export const m0006Churn: Migration = {
	id: 6,
	name: 'churn',
	sql: `
CREATE TABLE scores (
	customer_id TEXT PRIMARY KEY,
	model_version TEXT NOT NULL,
	probability DOUBLE NOT NULL,
	risk_band TEXT NOT NULL CHECK (risk_band IN ('low', 'medium', 'high')),
	reasons JSON,
	scored_at TIMESTAMP NOT NULL
);
CREATE TABLE score_history (
	customer_id TEXT NOT NULL,
	model_version TEXT NOT NULL,
	probability DOUBLE NOT NULL,
	scored_at TIMESTAMP NOT NULL
);
`
};
