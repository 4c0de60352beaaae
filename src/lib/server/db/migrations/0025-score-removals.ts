import type { Migration } from './index';

// When the scorer dropped a customer's score (churn/score.ts: the champion no longer scores them, e.g. they
// cancelled). score_history records scores, not their end, so without this a customer whose last score
// was high would count as at risk for ever in the at-risk tiles' line (metrics/risk-history.ts). Removals
// are recorded from this migration on: the line has no points before it (schema_migrations.applied_at).
export const m0025ScoreRemovals: Migration = {
	id: 25,
	name: 'score-removals',
	sql: `
CREATE TABLE score_removals (
	customer_id TEXT NOT NULL,
	removed_at TIMESTAMP NOT NULL
);
`
};
