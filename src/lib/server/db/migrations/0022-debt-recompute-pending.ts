import type { Migration } from './index';

// Debt recomputes owed after a tolerance save (alerts/debt-recompute-pending.ts): written in the save's
// transaction, advanced in each recomputed chunk's, deleted with the last, so a server stopped half-way
// resumes at start instead of leaving customers on the old settings' debt. segment '*' = every customer.
// after_customer_id is the last customer id done (ids are recomputed in order); NULL = not started.
export const m0022DebtRecomputePending: Migration = {
	id: 22,
	name: 'debt-recompute-pending',
	sql: `
CREATE TABLE debt_recompute_pending (
	segment TEXT PRIMARY KEY,
	requested_at TIMESTAMP NOT NULL,
	after_customer_id TEXT
);
`
};
